"""The small benchmark runs and reports its figures (no timing assertions)."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "engine_bench.py"


def test_small_benchmark_reports_figures() -> None:
    spec = importlib.util.spec_from_file_location("engine_bench", BENCH)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    lines: list[str] = []
    figures = bench.run("small", out=lines.append)
    for key in (
        "generator_s",
        "full_run_s",
        "peak_rss_mib",
        "match_opening_median_ms",
        "throughput_ratio",
        "quality",
    ):
        assert key in figures
    assert set(figures["quality"]) == {"engine", "engine_no_caps", "random", "fuzzy_title"}
    assert figures["active_youth_with_opening"] > 0.5
    assert any("NDCG@10" in line for line in lines)
