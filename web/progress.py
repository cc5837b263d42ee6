"""Progress bars for the command line commands that take a while (setup, load-reference,
``jobs run nightly``): click's progress bar over the command's stages, shown on a terminal
only. Piped or logged output (``make run`` in CI, cron) gets no bar, just the usual lines.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

import click

Step = Callable[[str], None]


def _quiet(_stage: str) -> None:
    """A step that shows nothing (no terminal)."""


@contextmanager
def stage_bar(label: str, stages: Sequence[str], file: TextIO | None = None) -> Iterator[Step]:
    """Yield ``step(stage)``: call it when a stage is done; the bar moves on by one."""
    out = file if file is not None else sys.stdout
    if not out.isatty():
        yield _quiet
        return
    with click.progressbar(
        length=len(stages),
        label=label,
        file=out,
        show_eta=False,
        show_percent=False,
        show_pos=True,
        item_show_func=lambda stage: stage,
    ) as bar:

        def step(stage: str) -> None:
            bar.update(1, stage)

        yield step
