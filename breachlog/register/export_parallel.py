"""The register PDF's rows laid out in a second process while this one writes the pages.

Reading the register and wrapping its text is most of the work of a large register, and
writing the pages most of the rest; on a machine with two CPUs or more, `breachlog
export-register` does most of the first in a child process (the details and the second
half of the table: export_pdf), so that both have about as much to do. The child is
forked, so it starts with this process's app, settings and caches, and reads the register
over its own database connection. It sends the laid-out rows (their lines and shape, not
the incidents) through a pipe, a batch at a time; a thread here takes them off the pipe
into a queue of at most QUEUED batches, so the child may get ahead by that much and no
more, and memory stays that of a few pages. The characters no font has, which the child
notes while it wraps, come back at the end of each part for the list on the last page.

The web and the API make the PDF in the worker that serves the request, without a child:
forking a process that serves other requests on other threads is not safe.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import queue
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Any

from ..extensions import db
from .export_layout import Laid, Row
from .export_text import MissingCharacters, current_missing

BATCH = 256  # rows per message: large enough to cost little, small enough to keep pace
QUEUED = 64  # batches the child may be ahead: about 30 MB of laid-out rows at most
_ROWS, _PART_ENDS, _FAILED = "rows", "part ends", "failed"

RowMaker = Callable[[], Iterator[Row]]


class ExportFailed(RuntimeError):
    """The process laying out the rows stopped with an error; its traceback is the message."""


def can_run() -> bool:
    """Whether a second process would help here, and can be forked."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


class LaidElsewhere:
    """Rows of each part, laid out in a child process, in their order.

    A thread of this process takes the child's batches from the pipe as they come, so the
    child is not held up while this process is busy with something else (the first half
    of the register table, which it lays out itself meanwhile: the two processes then have
    about as much to do), yet is never more than QUEUED batches ahead. Use as a context
    manager around building the document: the child is stopped when the document is done
    or fails.
    """

    def __init__(self, parts: Sequence[RowMaker], missing: MissingCharacters) -> None:
        self.parts, self.missing = parts, missing
        self._connection: Connection | None = None
        self._child: Any = None
        self._next_part = 0
        self._arriving = 0  # the part whose rows the child sends now
        self._received: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED)
        self._reader: threading.Thread | None = None

    def __enter__(self) -> LaidElsewhere:
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        self._child = context.Process(
            target=_lay_out, args=(self.parts, sending), name="breachlog-pdf-rows", daemon=True
        )
        self._child.start()
        sending.close()  # the child's end: the pipe ends when the child does
        self._connection = receiving
        self._reader = threading.Thread(target=self._drain, name="breachlog-pdf-rows", daemon=True)
        self._reader.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._child is not None:
            if self._child.is_alive():
                self._child.terminate()
            self._child.join()
        while self._reader is not None and self._reader.is_alive():
            # the pipe ended with the child; the thread may still wait for room in the queue
            with contextlib.suppress(queue.Empty):
                self._received.get(timeout=0.05)
        if self._connection is not None:
            self._connection.close()

    def _drain(self) -> None:
        assert self._connection is not None
        try:
            while True:
                self._received.put(self._connection.recv_bytes())
        except (EOFError, OSError):
            self._received.put(None)

    def part(self) -> Iterator[Laid]:
        """The next part's rows, as the child sends them."""
        index, self._next_part = self._next_part, self._next_part + 1
        return self._rows(index)

    def _rows(self, index: int) -> Iterator[Laid]:
        assert self._reader is not None, "use LaidElsewhere as a context manager"
        while self._arriving <= index:
            data = self._received.get()
            if data is None:
                raise ExportFailed("the process laying out the register's rows ended early")
            # from the pipe to our own child, which only this process could have started
            kind, payload = pickle.loads(data)  # noqa: S301
            if kind == _FAILED:
                raise ExportFailed(payload)
            if kind == _PART_ENDS:
                # with the characters noted so far: the last page lists them
                self.missing.found.update(dict.fromkeys(payload))
                self._arriving += 1
            elif self._arriving == index:  # rows of a part not read to its end are passed
                for shape, blocks, height in payload:
                    yield Laid(shape, blocks, height)


def _lay_out(parts: Sequence[RowMaker], connection: Connection) -> None:
    """In the child: every part's rows, laid out and sent in batches."""
    try:
        # the parent's connections stay the parent's: this process opens its own
        db.engine.dispose(close=False)
        db.session.registry.set(db.session.session_factory())
        missing = current_missing()
        for make_rows in parts:
            batch: list[tuple[Any, ...]] = []
            for row in make_rows():
                laid = Laid.of(row)
                batch.append((laid.shape, laid.blocks, laid.height))
                if len(batch) == BATCH:
                    _send(connection, _ROWS, batch)
                    batch = []
            if batch:
                _send(connection, _ROWS, batch)
            _send(connection, _PART_ENDS, list(missing) if missing is not None else [])
    except BaseException:  # noqa: BLE001 - any failure is the parent's to report
        # unless the parent is gone already (it stopped, or was interrupted too)
        with contextlib.suppress(OSError):
            _send(connection, _FAILED, traceback.format_exc())
    finally:
        db.session.close()
        connection.close()


def _send(connection: Connection, kind: str, payload: Any) -> None:
    connection.send((kind, payload))
