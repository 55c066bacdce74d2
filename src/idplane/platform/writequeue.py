"""The FIFO write lock of one server process on SQLite (`Store` takes it for every writer)."""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable


class WriteQueue:
    """A FIFO lock: SQLite writers of this process take the database's write lock in turn, so
    none spins on SQLITE_BUSY and none is overtaken (other processes still meet busy_timeout).
    Requests wait for it on the event loop (`acquire_async`), holding no worker thread."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[Callable[[], None]] = deque()
        self._held = False

    def try_acquire(self) -> bool:
        """Takes the lock if it is free (no request holds or waits for it)."""
        with self._mutex:
            if self._held:
                return False
            self._held = True
            return True

    def acquire(self) -> None:
        with self._mutex:
            if not self._held:
                self._held = True
                return
            turn = threading.Event()
            self._waiters.append(turn.set)
        turn.wait()  # release() hands the lock over directly: no barging

    async def acquire_async(self) -> None:
        loop = asyncio.get_running_loop()
        turn: asyncio.Future[None] = loop.create_future()

        def grant() -> None:
            if turn.cancelled():
                self.release()  # its request went away while waiting: pass it on
            else:
                turn.set_result(None)

        with self._mutex:
            if not self._held:
                self._held = True
                return
            self._waiters.append(lambda: _call_soon(loop, grant))
        try:
            await turn
        except BaseException:
            if turn.done() and not turn.cancelled():
                self.release()  # granted, but cancelled before it could use it
            raise

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft()()
            else:
                self._held = False


def _call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
    loop.call_soon_threadsafe(callback)
