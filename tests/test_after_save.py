"""The one after-save path (models/operations/after_save.py, jobs/after_save.py).

The user's change is committed first; the instant suggestions run in a transaction of their
own, so a failing engine never loses a save. Web, API and the operations all go through it.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from jobs.matching import fast_paths
from models.enums import OpeningStatus, Role, SuggestionStatus
from models.opening import JobOpening
from models.operations import after_save
from models.operations.openings import OpeningInput, post_opening
from models.operations.tokens import create_token
from models.suggestion import Suggestion

TODAY = date.today()


def _broken(session, target, now):  # type: ignore[no-untyped-def]
    raise RuntimeError("engine down")


def _bearer(db, user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _token, secret = create_token(db, user, "test", 30)
    db.flush()
    return {"Authorization": f"Bearer {secret}"}


def _opening_body(**overrides):  # type: ignore[no-untyped-def]
    body = {
        "title": "Lagermedarbejder",
        "postcode": "2300",
        "required_skills": ["kundeservice"],
        "hours_min": 20,
        "hours_max": 37,
        "start_date": (TODAY + timedelta(days=7)).isoformat(),
    }
    return body | overrides


def test_the_apis_opening_save_proposes_young_people_at_once(client, db, make_user, make_youth):
    youth = make_youth()
    company = make_user(Role.COMPANY)
    response = client.post("/api/v1/openings", json=_opening_body(), headers=_bearer(db, company))
    assert response.status_code == 201, response.text
    stored = db.scalars(
        select(Suggestion).where(Suggestion.opening_id == response.json["id"])
    ).all()
    assert [s.youth_id for s in stored] == [youth.id]
    assert stored[0].status is SuggestionStatus.PROPOSED


def test_the_apis_profile_save_proposes_openings_at_once(client, db, make_user, make_opening):
    opening = make_opening(required_skills=["kundeservice"], hours_max=37)
    caseworker = make_user(Role.CASEWORKER)
    body = {
        "birth_year": TODAY.year - 20,
        "postcode": "2200",
        "skills": ["kundeservice"],
        "wished_occupations": ["lagerarbejder"],
    }
    response = client.post("/api/v1/profiles", json=body, headers=_bearer(db, caseworker))
    assert response.status_code == 201, response.text
    targets = db.scalars(
        select(Suggestion.opening_id).where(Suggestion.youth_id == response.json["id"])
    ).all()
    assert opening.id in targets


def test_an_api_save_whose_matching_raises_is_still_saved(
    client, db, make_user, make_youth, monkeypatch
):
    make_youth()
    monkeypatch.setattr(fast_paths, "refresh_for_opening", _broken)
    company = make_user(Role.COMPANY)
    response = client.post("/api/v1/openings", json=_opening_body(), headers=_bearer(db, company))
    assert response.status_code == 201, response.text
    opening = db.scalar(select(JobOpening).where(JobOpening.id == response.json["id"]))
    assert opening is not None and opening.status is OpeningStatus.OPEN
    assert not db.scalars(select(Suggestion).where(Suggestion.opening_id == opening.id)).all()


def test_a_company_save_whose_matching_raises_is_still_saved(
    client, db, make_user, make_youth, login_as, monkeypatch
):
    make_youth()
    monkeypatch.setattr(fast_paths, "refresh_for_opening", _broken)
    login_as(make_user(Role.COMPANY))
    data = {
        "title": "Pakkemedarbejder",
        "occupation": "lagerarbejder",
        "kind": "job",
        "required_skills": "kundeservice",
        "description": "Pakning af varer.",
        "postcode": "2500",
        "hours_min": "20",
        "hours_max": "30",
        "seats": "1",
        "min_age": "18",
        "languages": "da",
        "action": "publish",
    }
    response = client.post("/company/openings/new", data=data)
    assert response.status_code == 302, response.text
    found = db.scalar(select(JobOpening).where(JobOpening.title == "Pakkemedarbejder"))
    assert found is not None and found.status is OpeningStatus.OPEN


def test_commit_keeps_the_save_when_a_handler_fails_and_runs_the_others(db, make_user, monkeypatch):
    ran: list[int] = []
    monkeypatch.setattr(after_save, "_handlers", [])
    after_save.on_saved(lambda session, obj: (_ for _ in ()).throw(RuntimeError("down")))
    after_save.on_saved(lambda session, obj: ran.append(obj.id) or "ok")
    company = make_user(Role.COMPANY)
    opening = post_opening(db, company, OpeningInput(title="Lager", postcode="2300"))
    outcomes = after_save.commit(db)
    assert [o.failed for o in outcomes] == [True, False]
    assert ran == [opening.id] and outcomes[1].result == "ok"
    assert after_save.outcome_for(outcomes, opening).failed
    db.rollback()
    assert db.get(JobOpening, opening.id) is not None


def test_what_a_rolled_back_unit_of_work_saved_runs_nothing(db, make_user, monkeypatch):
    ran: list[object] = []
    monkeypatch.setattr(after_save, "_handlers", [lambda session, obj: ran.append(obj)])
    post_opening(db, make_user(Role.COMPANY), OpeningInput(title="Lager", postcode="2300"))
    db.rollback()
    assert after_save.commit(db) == [] and ran == []
