"""One lock per database connection, so that threads sharing a connection take turns.

A DuckDB connection runs one statement at a time and holds one pending result: if two threads
interleave ``execute`` and ``fetchall`` on it, one of them fails ("connection is busy") or reads
the other's rows, which for prefill means another citizen's data. formmerge therefore runs every
statement it sends to a connection while holding that connection's lock, and a prefill call
holds it from its first statement to its last. Threads that share one connection are safe but
take turns; for parallel reads give each thread its own connection or ``connection.cursor()``
(a cursor sees the same tables and views, but not DataFrames registered on the connection).

The lock is re-entrant, so a prefill whose audit log lives on the same connection as the
registers does not wait for itself.
"""

from __future__ import annotations

import threading
import weakref

__all__ = ["connection_lock"]

_LOCKS: weakref.WeakKeyDictionary[object, threading.RLock] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def connection_lock(connection: object) -> threading.RLock:
    """The lock of ``connection``: the same re-entrant lock for every caller, for as long as the
    connection object lives."""
    with _GUARD:
        lock = _LOCKS.get(connection)
        if lock is None:
            lock = _LOCKS[connection] = threading.RLock()
        return lock
