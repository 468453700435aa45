"""Process-level tuning applied once a server process has loaded the application."""

import gc


def freeze_startup_objects() -> None:
    """Move everything alive after start-up out of the garbage collector's reach.

    Django, the URL resolver, templates and module-level tables are never freed; without this
    every full (generation 2) collection walks them again, which measured as 130-140 ms pauses
    in the middle of list requests (the p95 of docs/performance.md). ``gc.freeze()`` is the
    CPython mechanism made for exactly this (used by Instagram for Django under uWSGI).
    """
    gc.collect()
    gc.freeze()
