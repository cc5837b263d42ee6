"""`make bench` runs ``python -m bench``: its runner and the engine benchmark at small scale.

(The nightly and web benchmarks need a national PostgreSQL population, gunicorn and locust;
they are run by ``make bench``, not by the tests.)
"""

from __future__ import annotations

import pytest

from bench.__main__ import main


def test_the_runner_runs_the_engine_benchmark_and_prints_its_figures(capsys):
    assert main(["engine", "--scale", "small"]) == 0
    out = capsys.readouterr().out
    assert "===== benchmark: engine (small) =====" in out
    for figure in ("full_run_s", "match_opening_median_ms", "throughput_ratio", "NDCG@10"):
        assert figure in out


def test_the_runner_refuses_an_unknown_benchmark(capsys):
    with pytest.raises(SystemExit):
        main(["engine", "nope"])
    assert "unknown benchmark(s): nope" in capsys.readouterr().err


def test_the_quality_benchmark_prints_both_variants_and_the_baselines(capsys):
    from bench.quality_bench import run

    results = run("small", seed=3, out=print)
    out = capsys.readouterr().out
    for line in ("variant standard", "variant noisy", "skills->occupation", "fuzzy title"):
        assert line in out
    assert "true occupation served (allocated)" in out
    for variant in results:
        res = variant["results"]
        # The engine ranks youth without a wish at least as well as the plain baseline, and
        # far better than chance; every youth who can be served in their occupation mostly is.
        assert res["engine (no caps)"]["no_wish"][0] >= res["skills->occupation"]["no_wish"][0]
        assert res["engine (no caps)"]["all"][0] > 2 * res["random"]["all"][0]
        assert variant["served_share"] >= 0.9


def test_the_runner_shows_a_bar_on_a_terminal_only(capsys, monkeypatch):
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["engine", "--scale", "small"]) == 0
    assert "Benchmarks" in terminal.getvalue() and "1/1" in terminal.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal: no bar
    assert main(["engine", "--scale", "small"]) == 0
    assert "Benchmarks" not in sys.stderr.getvalue()


def test_the_runner_writes_a_profile_when_asked(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["engine", "--scale", "small", "--profile"]) == 0
    written = tmp_path / "instance" / "profiles" / "engine.prof"
    assert written.stat().st_size > 0
    assert "profile: instance/profiles/engine.prof" in capsys.readouterr().out
    import pstats

    assert pstats.Stats(str(written)).total_calls > 0
