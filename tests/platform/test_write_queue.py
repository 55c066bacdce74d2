"""SQLite writers of one process take the write lock in the order they asked for it (a FIFO
hand-over, no busy-waiting), whether they wait in a thread or on the event loop."""

from __future__ import annotations

import asyncio
import threading
import time

from idplane.platform.writequeue import WriteQueue


def _wait_for_waiters(queue: WriteQueue, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(queue._waiters) < count and time.monotonic() < deadline:
        time.sleep(0.001)
    assert len(queue._waiters) == count


def test_writers_get_the_lock_in_the_order_they_asked_for_it() -> None:
    queue = WriteQueue()
    queue.acquire()
    order: list[int] = []

    def writer(number: int) -> None:
        queue.acquire()
        order.append(number)
        queue.release()

    threads = []
    for number in range(6):
        threads.append(threading.Thread(target=writer, args=(number,)))
        threads[-1].start()
        _wait_for_waiters(queue, number + 1)
    queue.release()
    for thread in threads:
        thread.join(10)
    assert order == list(range(6))


def test_a_request_waits_on_the_event_loop_and_a_cancelled_one_passes_the_lock_on() -> None:
    async def scenario() -> list[str]:
        queue = WriteQueue()
        queue.acquire()
        got: list[str] = []

        async def request(name: str) -> None:
            await queue.acquire_async()
            got.append(name)
            queue.release()

        first = asyncio.create_task(request("first"))
        gone = asyncio.create_task(request("gone"))
        last = asyncio.create_task(request("last"))
        while len(queue._waiters) < 3:
            await asyncio.sleep(0.001)
        gone.cancel()  # its client went away while it waited
        await asyncio.to_thread(queue.release)
        await asyncio.wait_for(asyncio.gather(first, last), 10)
        return got

    assert asyncio.run(scenario()) == ["first", "last"]
