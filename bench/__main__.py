"""Run the benchmarks: ``python -m bench [engine|nightly|web|faults ...] [--scale ...]``.

Each benchmark prints its own figures. The nightly, web and faults benchmarks need PostgreSQL
(``BENCH_DATABASE_URL``, default the local server); they are skipped with a note otherwise.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import os
import sys
import time
from pathlib import Path

from web.progress import Step, stage_bar

BENCHES = {
    "engine": "bench.engine_bench",
    "quality": "bench.quality_bench",
    "figures": "bench.figures_bench",
    "nightly": "bench.nightly_bench",
    "web": "bench.web_bench",
    "faults": "bench.faults_bench",
    "learning": "bench.learning_bench",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    # Checked below, not with ``choices``: Python 3.11's argparse rejects an empty list then.
    parser.add_argument("which", nargs="*", help=f"any of {', '.join(BENCHES)} (default: all)")
    parser.add_argument("--scale", default="national", choices=["small", "national"])
    parser.add_argument(
        "--profile",
        action="store_true",
        default=os.environ.get("PROFILE", "") not in ("", "0"),
        help="write a cProfile of each benchmark to instance/profiles/NAME.prof "
        "(also PROFILE=1; read them with `python -m pstats` or snakeviz)",
    )
    args = parser.parse_args(argv)
    args.which = args.which or list(BENCHES)
    unknown = sorted(set(args.which) - set(BENCHES))
    if unknown:
        parser.error(
            f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHES)}"
        )
    os.environ.setdefault("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    if "nightly" in args.which and "web" in args.which:
        # The web benchmark builds its database with the nightly benchmark and prints its
        # figures too: one national population instead of two.
        args.which = [name for name in args.which if name != "nightly"]
    # A bar over the benchmarks on a terminal (on stderr, beside the figures on stdout).
    with stage_bar("Benchmarks", args.which, file=sys.stderr) as step:
        failures = _run(args.which, args.scale, step, args.profile)
    return 1 if failures else 0


def _run(which: list[str], chosen_scale: str, step: Step, profile: bool = False) -> int:
    failures = 0
    for name in which:
        print(f"\n===== benchmark: {name} ({chosen_scale}) =====", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(BENCHES[name])
        scale = chosen_scale
        if name == "quality" and scale == "national":
            # Its coverage figure is a max flow over every allowed pair: medium scale
            # (12,000 youth x 6,400 openings, the national density of openings per youth).
            scale = "medium"
            print("quality: medium scale (the coverage max flow needs every allowed pair)")
        profiler = cProfile.Profile() if profile else None
        try:
            if profiler is not None:
                profiler.enable()
            if module.main(["--scale", scale]):
                failures += 1
                print(f"benchmark {name}: not at its target (see above)", file=sys.stderr)
        except Exception as error:  # noqa: BLE001 - report and go on with the next benchmark
            failures += 1
            print(f"benchmark {name} failed: {error!r}", file=sys.stderr)
        if profiler is not None:
            profiler.disable()
            target = Path("instance", "profiles", f"{name}.prof")
            target.parent.mkdir(parents=True, exist_ok=True)
            profiler.dump_stats(target)
            print(f"profile: {target}")
        print(f"===== {name}: {time.perf_counter() - started:.1f} s wall =====", flush=True)
        step(name)
    return failures


if __name__ == "__main__":
    sys.exit(main())
