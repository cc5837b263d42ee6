"""The command line the engine benchmarks share: ``--scale NAME --seed N``."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Collection
from typing import Any


def main_with_scale_and_seed(
    run: Callable[[str, int], Any],
    scales: Collection[str],
    default: str,
    doc: str | None,
    argv: list[str] | None = None,
) -> int:
    """Parse ``--scale`` (one of ``scales``) and ``--seed`` from ``argv`` and ``run`` them;
    the first line of ``doc`` (the benchmark's module docstring) describes the command."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--scale", choices=sorted(scales), default=default)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    run(args.scale, args.seed)
    return 0
