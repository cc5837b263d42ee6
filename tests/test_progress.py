"""Progress bars of the long CLI commands: shown on a terminal, absent when piped."""

from __future__ import annotations

import io

from jobs.nightly import STAGES
from models.reference_load import REFERENCE_TABLES
from web.progress import stage_bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_over_the_stages():
    out = Terminal()
    with stage_bar("Reference data", REFERENCE_TABLES, file=out) as step:
        for table in REFERENCE_TABLES:
            step(table)
    text = out.getvalue()
    assert "Reference data" in text and "#" in text
    assert f"{len(REFERENCE_TABLES)}/{len(REFERENCE_TABLES)}" in text and "occupations" in text


def test_piped_output_gets_no_bar():
    out = io.StringIO()
    with stage_bar("Reference data", REFERENCE_TABLES, file=out) as step:
        step("municipalities")
    assert out.getvalue() == ""


def test_commands_report_their_stages(runner, app):
    # CliRunner's output is no terminal: the commands print their usual lines, no bar.
    result = runner.invoke(args=["load-reference"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Reference data: municipalities +")
    assert "[" not in result.output and "#" not in result.output


def test_the_nightly_run_and_the_reference_load_call_progress_per_stage(app, db, connection):
    from datetime import UTC, datetime

    from jobs.nightly import run_nightly
    from models.reference_load import load_reference_data

    seen: list[str] = []
    load_reference_data(db, progress=seen.append)
    assert seen == list(REFERENCE_TABLES)
    seen.clear()
    run = run_nightly(db, datetime(2026, 12, 1, 12, tzinfo=UTC), progress=seen.append)
    assert run.status == "succeeded"
    assert seen == list(STAGES)
