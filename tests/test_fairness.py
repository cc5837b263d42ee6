"""The fairness monitor on demo data: the page's and the CSV's ratios equal an independent
computation written here; small cells are suppressed; a planted disparity is flagged, and the
nightly check mails new flags to the admins once."""

from __future__ import annotations

import csv
import io
import math
import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from jobs.demo import load_demo
from jobs.fairness import FAIRNESS_DIGEST, check_fairness
from jobs.matching import run_matching
from models.enums import Role, SuggestionStatus, TargetKind
from models.fairness import wilson
from models.jobrun import JobRun
from models.notification import Notification
from models.suggestion import Suggestion
from models.youth import YouthProfile
from tests.conftest import PASSWORD

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


@pytest.fixture()
def demo(db):
    load_demo(db)
    run_matching(db, NOW)
    rng = random.Random(17)
    suggestions = db.scalars(select(Suggestion).order_by(Suggestion.id)).all()
    assert len(suggestions) > 200
    for s in suggestions:
        roll = rng.random()
        # A planted disparity: young people who need a mentor are approved far less often.
        approve_p = 0.15 if s.youth.needs_mentor else 0.7
        if roll < 0.15:
            continue  # undecided
        s.decided_at = NOW - timedelta(days=rng.randint(1, 60))
        if rng.random() > approve_p:
            s.status = SuggestionStatus.REJECTED
            s.reason_code = "other"
            continue
        s.status = SuggestionStatus.APPROVED
        if rng.random() < 0.7:
            s.responded_at = s.decided_at + timedelta(days=2)
            positive = rng.random() < 0.5
            if s.target_kind is TargetKind.OPENING:
                s.status = SuggestionStatus.INTERESTED if positive else SuggestionStatus.DECLINED
                if positive and rng.random() < 0.4:
                    s.status = SuggestionStatus.PLACED
            else:
                s.status = SuggestionStatus.ACCEPTED if positive else SuggestionStatus.DECLINED
    db.flush()
    return suggestions


# --- an independent computation ----------------------------------------------------------


def _group(youth: YouthProfile, attribute: str) -> str:
    if attribute == "needs_mentor":
        return "yes" if youth.needs_mentor else "no"
    if attribute == "driving_licence":
        return "yes" if youth.driving_licence else "no"
    if attribute == "first_language":
        return "da" if youth.languages and youth.languages[0] == "da" else "other"
    if attribute == "education":
        return youth.education_level
    if attribute == "municipality":
        return str(youth.municipality_code)
    age = datetime.now(UTC).year - youth.birth_year
    for low, high in ((0, 17), (18, 21), (22, 25), (26, 29)):
        if low <= age <= high:
            return f"{low if low else 15}-{high}"
    return "30+"


def _expected(db, stage: str, attribute: str) -> dict[str, tuple[int, float | None]]:
    """Group -> (units, Mantel-Haenszel ratio vs everyone else over score deciles)."""
    if stage != "approved":
        raise NotImplementedError
    units = sorted(
        (
            s
            for s in db.scalars(select(Suggestion))
            if s.status
            not in (SuggestionStatus.PROPOSED, SuggestionStatus.EXPIRED, SuggestionStatus.WITHDRAWN)
        ),
        key=lambda s: (s.score, s.id),
    )
    n = len(units)
    rows = [
        (_group(s.youth, attribute), i * 10 // n, s.status is not SuggestionStatus.REJECTED)
        for i, s in enumerate(units)
    ]
    result = {}
    for group in {g for g, _d, _r in rows}:
        num = den = 0.0
        for d in range(10):
            mine = [r for g, dd, r in rows if dd == d and g == group]
            rest = [r for g, dd, r in rows if dd == d and g != group]
            if not mine or not rest:
                continue
            total = len(mine) + len(rest)
            num += sum(mine) * len(rest) / total
            den += sum(rest) * len(mine) / total
        size = sum(1 for g, _d, _r in rows if g == group)
        result[group] = (size, num / den if den else None)
    return result


def _csv(client) -> list[dict[str, str]]:
    response = client.get("/admin/fairness.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))


def test_page_and_csv_ratios_equal_an_independent_computation(
    db, demo, client, login_as, make_user
):
    login_as(make_user(Role.ADMIN))
    rows = _csv(client)
    page = client.get("/admin/fairness").text
    assert "<svg" in page and "Ligebehandling" in page
    checked = 0
    for attribute in ("needs_mentor", "driving_licence", "education", "age_band", "municipality"):
        expected = _expected(db, "approved", attribute)
        for group, (size, ratio) in expected.items():
            row = next(
                r
                for r in rows
                if (r["stage"], r["attribute"], r["group"]) == ("approved", attribute, group)
            )
            if size < 10 or sum(s for s, _r in expected.values()) - size < 10:
                assert row["suppressed"] == "1" and row["n"] == "<10" and row["ratio"] == ""
                continue
            assert int(row["n"]) == size
            assert float(row["ratio"]) == pytest.approx(ratio, abs=1e-4)
            cell = f'data-cell="approved:{attribute}:{group}"'
            assert cell in page
            shown = page.split(cell, 1)[1].split("data-ratio=", 1)[1][1:7]
            assert float(shown) == pytest.approx(ratio, abs=1e-3)
            checked += 1
    assert checked >= 6


def test_a_planted_disparity_is_flagged_and_mailed_to_admins_once(db, demo, make_user):
    admin = make_user(Role.ADMIN)
    row = next(
        r
        for r in _cells_by_key(db)
        if (r.stage, r.attribute, r.group) == ("approved", "needs_mentor", "yes")
    )
    assert row.flagged and row.ratio < 0.8 and row.ratio_high < 1.0
    run = JobRun(name="nightly", run_date=NOW.date(), started_at=NOW)
    db.add(run)
    db.flush()
    assert check_fairness(db, run, NOW) >= 1
    mails = db.scalars(
        select(Notification).where(
            Notification.recipient_id == admin.id, Notification.kind == FAIRNESS_DIGEST
        )
    ).all()
    assert len(mails) == 1
    assert any(f["attribute"] == "needs_mentor" for f in mails[0].payload["flags"])
    again = JobRun(name="nightly", run_date=NOW.date() + timedelta(days=1), started_at=NOW)
    db.add(again)
    db.flush()
    assert check_fairness(db, again, NOW + timedelta(days=1)) == 0


def _cells_by_key(db):
    from models.fairness import fairness_cells

    return fairness_cells(db, NOW.date())


def test_the_fairness_mail_renders_in_danish_and_english(db, demo, make_user):
    from jobs.mail import render
    from jobs.settings import JobSettings

    make_user(Role.ADMIN, locale="da")
    make_user(Role.ADMIN, locale="en")
    run = JobRun(name="nightly", run_date=NOW.date(), started_at=NOW)
    db.add(run)
    db.flush()
    check_fairness(db, run, NOW)
    mails = db.scalars(select(Notification).where(Notification.kind == FAIRNESS_DIGEST)).all()
    texts = {m.locale: render(db, m, JobSettings()) for m in mails}
    assert "Har brug for en mentor" in texts["da"].text and "/admin/fairness" in texts["da"].text
    assert "Needs a mentor" in texts["en"].text and "new flag" in texts["en"].subject


def test_wilson_interval_against_a_textbook_value():
    low, high = wilson(81, 263)  # Newcombe (1998), example: 0.2553-0.3662
    assert low == pytest.approx(0.2553, abs=1e-4) and high == pytest.approx(0.3662, abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)
    assert math.isclose(sum(wilson(5, 10)), 1.0)


def test_the_secretariat_sees_the_same_national_figures(db, demo, app, client, login_as, make_user):
    login_as(make_user(Role.ADMIN))
    admin_csv = client.get("/admin/fairness.csv").text
    national = app.test_client()
    secretariat = make_user(Role.SECRETARIAT)
    response = national.post("/login", data={"email": secretariat.email, "password": PASSWORD})
    assert response.status_code == 302
    page = national.get("/secretariat/fairness")
    assert page.status_code == 200 and "<svg" in page.text
    assert "/secretariat/fairness.csv" in page.text
    assert national.get("/secretariat/fairness.csv").text == admin_csv
    assert national.get("/admin/fairness").status_code == 403  # not the admin's pages


def test_the_first_language_is_the_first_of_the_list_as_stored(db, make_youth):
    """The suggested stage reads each young person's first language in the database (a
    language other than Danish first is "other")."""
    from models.fairness import fairness_cells

    for languages in (["ar", "da"], ["da", "en"], ["da"], ["en"], ["uk", "en"]):
        make_youth(languages=languages)
    cells = {
        c.group: c.n
        for c in fairness_cells(db, NOW.date())
        if c.stage == "suggested" and c.attribute == "first_language"
    }
    assert cells == {"da": 2, "other": 3}


def test_the_suggested_and_placed_stages_equal_an_independent_computation(db, demo):
    """The suggested stage (every profile not closed; reached: an opening was suggested, one
    stratum) and the placed stage (approved suggestions for openings, in score deciles),
    counted per group here from the ORM's objects, equal the monitor's cells; a closed
    profile is no unit of the suggested stage, though its decided suggestions still count."""
    from models.enums import ProfileStatus
    from models.fairness import fairness_cells

    youths = db.scalars(select(YouthProfile).order_by(YouthProfile.id)).all()
    youths[0].status = ProfileStatus.CLOSED
    db.flush()
    cells = {c.key: c for c in fairness_cells(db, NOW.date())}
    with_openings = {s.youth_id for s in db.scalars(select(Suggestion)) if s.opening_id}
    units = [(y, y.id in with_openings) for y in youths if y.status is not ProfileStatus.CLOSED]
    placed = sorted(
        (
            s
            for s in db.scalars(select(Suggestion))
            if s.target_kind is TargetKind.OPENING
            and s.status
            not in (
                SuggestionStatus.PROPOSED,
                SuggestionStatus.EXPIRED,
                SuggestionStatus.WITHDRAWN,
                SuggestionStatus.REJECTED,
            )
        ),
        key=lambda s: (s.score, s.id),
    )
    assert units and placed
    checked = 0
    for attribute in ("needs_mentor", "driving_licence", "education", "first_language"):
        for group in {_group(y, attribute) for y, _r in units}:
            mine = [r for y, r in units if _group(y, attribute) == group]
            rest = [r for y, r in units if _group(y, attribute) != group]
            cell = cells[("suggested", attribute, group)]
            assert (cell.n, cell.reached, cell.rest_n) == (len(mine), sum(mine), len(rest))
            if not cell.suppressed and sum(rest) and sum(mine):
                expected = (sum(mine) / len(mine)) / (sum(rest) / len(rest))
                assert cell.ratio == pytest.approx(expected, rel=1e-9)
                checked += 1
        for group in {_group(s.youth, attribute) for s in placed}:
            mine = [s for s in placed if _group(s.youth, attribute) == group]
            cell = cells[("placed", attribute, group)]
            assert cell.n == len(mine)
            assert cell.reached == sum(s.status is SuggestionStatus.PLACED for s in mine)
    assert checked >= 4
