"""A per-file time budget, so that one hostile file cannot stall a batch.

``time_budget`` arms a timer (``SIGALRM``) around the work on one file; when it fires,
``TimeBudgetExceeded`` is raised at the next bytecode, and the caller turns it into an
``error timeout`` row. It derives from ``BaseException`` so that the per-extractor
``except Exception`` isolation does not swallow it. Where no timer can be armed (not the
main thread, or no ``SIGALRM``), the work runs without a budget.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: seconds one file may take to read and parse (the 50 MB test submission takes ~10 s)
FILE_BUDGET_S = 120.0


class TimeBudgetExceeded(BaseException):
    """Raised inside the work when its budget is spent."""


def _raise(signum: int, frame: FrameType | None) -> None:
    raise TimeBudgetExceeded


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise ``TimeBudgetExceeded`` in the block once ``seconds`` have passed."""
    armed = (
        seconds > 0
        and hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )
    if not armed:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
