"""The mistakes an operator makes when starting idplane, each told in one line (exit 2)
instead of a traceback: a bad setting, an unreachable or missing database, an unwritable data
directory, a port already taken."""

from __future__ import annotations

import errno
import socket

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from idplane.config import SettingsError

EXIT_CODE = 2


def safe_url(url: str) -> str:
    """The URL with its password hidden, for messages and `idplane info`."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparsable URL)"


def describe(error: BaseException, database_url: str | None = None) -> str | None:
    """One line for a failure an operator can fix, or None for a real bug (keep the trace)."""
    if isinstance(error, SettingsError):
        return str(error)
    if isinstance(error, (ArgumentError, NoSuchModuleError)):
        return f"the database URL is not one idplane can use: {error}".splitlines()[0]
    if isinstance(error, OperationalError):
        cause = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        where = safe_url(database_url) if database_url else "the store"
        return f"cannot open the store at {where}: {cause}"
    if isinstance(error, PermissionError):
        return f"no permission to write {error.filename}: choose another IDPLANE_DATA_DIR"
    return None


def check_port_free(host: str, port: int) -> None:
    """Fails early, before migrations and workers, when another process holds the port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise SettingsError(
                    f"port {port} on {host} is in use; choose another with --port"
                ) from None
            raise SettingsError(f"cannot listen on {host}:{port}: {error.strerror}") from None
