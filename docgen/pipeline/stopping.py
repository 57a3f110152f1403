"""Stopping a run cleanly: Ctrl-C, SIGTERM and SIGHUP ask a run to stop at its next safe point
(between two documents, or while it waits for one) instead of cutting through whatever it is
doing. A KeyboardInterrupt raised deep inside the standard library's process pool, with its
locks held, can leave the pool unable to shut down: the run would hang instead of stopping."""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType

SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


class Stop:
    """While entered (on the main thread), the signals set ``requested``; ``check()`` raises
    KeyboardInterrupt once one came. Elsewhere it does nothing and signals act as before."""

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, object] = {}

    def __enter__(self) -> Stop:
        if threading.current_thread() is threading.main_thread():
            for name in SIGNALS:
                number = getattr(signal, name, None)
                if number is not None:
                    self._previous[number] = signal.signal(number, self._request)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for number, previous in self._previous.items():
            signal.signal(number, previous)  # type: ignore[arg-type]
        self._previous.clear()

    def _request(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True

    def check(self) -> None:
        if self.requested:
            raise KeyboardInterrupt
