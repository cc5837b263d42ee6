"""The review queue, decisions, partner answers, outcomes, the fast path, foreign IDs."""

from __future__ import annotations

import re
import types
from datetime import timedelta

import pytest
from sqlalchemy import select

from jobs.matching import fast_paths
from models.audit import AuditEvent
from models.base import utcnow
from models.enums import Outcome, ProfileStatus, Role, SuggestionStatus
from models.notification import Notification
from models.operations.suggestions import answer_as_company, answer_as_mentor


def _actions(db, object_id):
    return [
        e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.object_id == object_id))
    ]


@pytest.fixture()
def queue_setup(
    db,
    caseworker,
    foreign_caseworker,
    make_youth,
    make_opening,
    make_slot,
    make_suggestion,
    age_profile,
):
    youth = make_youth(caseworker)
    waiting = age_profile(make_youth(caseworker), 45)
    opening = make_opening(title="Lagermedarbejder")
    slot = make_slot(title="Frivillig mentor på Nørrebro")
    low = make_suggestion(youth, opening, score=0.41)
    high = make_suggestion(
        waiting,
        opening,
        score=0.93,
        distance_km=3.2,
        reasons=[{"code": "occ", "da": "Samme fag som ønsket", "en": "Same occupation as wished"}],
    )
    mentor = make_suggestion(youth, slot, score=0.6)
    done = make_suggestion(
        waiting,
        make_opening(title="Allerede godkendt"),
        score=0.99,
        status=SuggestionStatus.APPROVED,
        decided_at=utcnow() - timedelta(days=40),
    )
    foreign = make_suggestion(make_youth(foreign_caseworker), opening, score=0.97)
    db.flush()
    return types.SimpleNamespace(
        youth=youth,
        waiting=waiting,
        low=low,
        high=high,
        mentor=mentor,
        done=done,
        foreign=foreign,
        opening=opening,
        slot=slot,
    )


def test_a_reason_is_put_into_words_in_the_readers_language(client, db, queue_setup):
    """A reason is stored as its code and parameters, and shown in the reader's language with
    the numbers as that language writes them; one stored as texts (before 2026-12) as it is;
    one whose code or parameters this engine does not know, as its code."""
    s = queue_setup
    s.high.reasons = [
        {"code": "distance", "km": 6.7, "max_km": 15.0},
        {"code": "hours_partial", "min": 37.5, "max": 1234},
        {"code": "occ", "da": "Samme fag som ønsket", "en": "Same occupation as wished"},
        {"code": "retired_code", "x": 1},  # a code this engine does not know
        {"code": "distance", "kilometres": 3},  # nor its parameters
    ]
    db.flush()
    html = client.get("/caseworker/queue").text
    assert "6,7 km fra hjemmet, maks. 15" in html
    assert "Timetallet passer delvist (37,5–1.234 t/uge)" in html
    assert "Samme fag som ønsket" in html
    assert "<li>retired_code</li>" in html and "<li>distance</li>" in html  # as their codes
    assert "6.7 km" not in html
    client.post("/language", data={"locale": "en", "next": "/"})
    html = client.get("/caseworker/queue").text
    assert "6.7 km from home, max 15" in html
    assert "Hours partly fit (37.5–1,234 h/week)" in html
    assert "Same occupation as wished" in html and "<li>retired_code</li>" in html


def test_queue_lists_new_suggestions_best_first_with_reasons(client, queue_setup):
    html = client.get("/caseworker/queue").text
    ids = [int(i) for i in re.findall(r'id="suggestion-(\d+)"', html)]
    s = queue_setup
    assert ids == [s.high.id, s.mentor.id, s.low.id]  # own, proposed, best first
    assert "Samme fag som ønsket" in html and "3,2\N{NO-BREAK SPACE}km" in html
    assert "93" in html and "Lagermedarbejder" in html and "Frivillig mentor på Nørrebro" in html
    card = html[html.index(f'id="suggestion-{s.high.id}"') - 80 :][:200]
    assert "rapid-search" in card  # 40 days since the last approval
    assert "40 dage uden godkendt forslag" in html
    assert "English" in html
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "Same occupation as wished" in client.get("/caseworker/queue").text


def _form_fields(html: str, action: str) -> dict[str, str]:
    """Names and values of the inputs, textareas and selects of the form posting to ``action``."""
    start = html.index(f'action="{action}')  # the action carries the queue's filters
    form = html[start : html.index("</form>", start)]
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    fields.update(
        {name: "" for name in re.findall(r'<(?:textarea|select)[^>]*name="([^"]+)"', form)}
    )
    return fields


def test_queue_forms_are_each_cards_own_as_the_browser_posts_them(app, client, db, queue_setup):
    """The decision forms are rendered once per page and given each card's id: the names,
    labels and actions a browser sees must be the card's own, and posting them must work."""
    app.config["WTF_CSRF_ENABLED"] = True
    html = client.get("/caseworker/queue").text
    s = queue_setup
    for sug in (s.high, s.mentor, s.low):
        approve = _form_fields(html, f"/caseworker/suggestions/{sug.id}/approve")
        assert set(approve) == {f"s{sug.id}-csrf_token", f"s{sug.id}-pitch", "return_to"}
        reject = _form_fields(html, f"/caseworker/suggestions/{sug.id}/reject")
        assert {f"s{sug.id}-reason_code", f"s{sug.id}-reason"} <= set(reject)
        assert f'<label for="s{sug.id}-pitch">' in html
    assert "SUGGESTION_ID" not in html
    fields = _form_fields(html, f"/caseworker/suggestions/{s.low.id}/approve")
    fields[f"s{s.low.id}-pitch"] = "Stabil og nysgerrig."
    response = client.post(f"/caseworker/suggestions/{s.low.id}/approve", data=fields)
    assert response.status_code == 302
    db.refresh(s.low)
    assert (s.low.status, s.low.pitch) == (SuggestionStatus.APPROVED, "Stabil og nysgerrig.")


def test_queue_pagination(app, client, queue_setup):
    app.config["PER_PAGE"] = 2
    first = client.get("/caseworker/queue").text
    second = client.get("/caseworker/queue?page=2").text
    assert len(re.findall(r'id="suggestion-\d+"', first)) == 2
    assert len(re.findall(r'id="suggestion-\d+"', second)) == 1
    assert "Side 2 af 2" in second
    # A page past the last (typed in) shows the last one, as every paginated list does.
    beyond = client.get("/caseworker/queue?page=9").text
    assert len(re.findall(r'id="suggestion-\d+"', beyond)) == 1
    assert "Side 2 af 2" in beyond


def test_approve_with_pitch(client, db, caseworker, queue_setup):
    s = queue_setup.high
    response = client.post(
        f"/caseworker/suggestions/{s.id}/approve",
        data={f"s{s.id}-pitch": "Mødestabil og glad for fysisk arbejde."},
    )
    assert response.status_code == 302 and response.location.endswith("/caseworker/queue")
    db.refresh(s)
    assert s.status is SuggestionStatus.APPROVED
    assert (s.decided_by_id, s.pitch) == (caseworker.id, "Mødestabil og glad for fysisk arbejde.")
    assert s.decided_at is not None
    assert "suggestion.approve" in _actions(db, s.id)
    assert db.scalar(select(Notification).where(Notification.kind == "proposal.new"))
    # Answered already: a second approval is refused with a message, not an error page.
    again = client.post(
        f"/caseworker/suggestions/{s.id}/approve",
        data={f"s{s.id}-pitch": "igen"},
        follow_redirects=True,
    )
    assert "allerede" in again.text


def test_pitch_with_pii_is_refused_and_kept(client, db, queue_setup):
    s = queue_setup.high
    pitch = "Ring til hende på 22 33 44 55"
    response = client.post(
        f"/caseworker/suggestions/{s.id}/approve", data={f"s{s.id}-pitch": pitch}
    )
    assert response.status_code == 422
    assert "Fjern telefonnummeret" in response.text
    assert pitch in response.text
    db.refresh(s)
    assert s.status is SuggestionStatus.PROPOSED


def test_reject_with_reason(client, db, caseworker, queue_setup):
    s = queue_setup.low
    response = client.post(
        f"/caseworker/suggestions/{s.id}/reject",
        data={
            f"s{s.id}-reason_code": "too_far",
            f"s{s.id}-reason": "Ingen bus om morgenen",
            "return_to": "profile",
        },
    )
    assert response.location.endswith(f"/caseworker/profiles/{s.youth_id}")
    db.refresh(s)
    assert (s.status, s.reason_code, s.reason) == (
        SuggestionStatus.REJECTED,
        "too_far",
        "Ingen bus om morgenen",
    )
    assert s.decided_by_id == caseworker.id
    page = client.get(f"/caseworker/profiles/{s.youth_id}").text
    assert "For langt væk" in page and "Afvist af Sara Sagsbehandler" in page


def test_reject_needs_a_reason_from_the_list_and_no_pii(client, db, queue_setup):
    s = queue_setup.low
    bad = client.post(
        f"/caseworker/suggestions/{s.id}/reject", data={f"s{s.id}-reason_code": "because"}
    )
    assert bad.status_code == 422
    pii = client.post(
        f"/caseworker/suggestions/{s.id}/reject",
        data={f"s{s.id}-reason_code": "other", f"s{s.id}-reason": "a@b.dk"},
    )
    assert pii.status_code == 422 and "Fjern e-mailadressen" in pii.text
    db.refresh(s)
    assert s.status is SuggestionStatus.PROPOSED


def test_partner_answers_are_shown_to_the_caseworker(
    client, db, caseworker, make_user, queue_setup
):
    s = queue_setup
    company_user = make_user(Role.COMPANY, organisation=s.opening.organisation)
    client.post(f"/caseworker/suggestions/{s.low.id}/approve", data={f"s{s.low.id}-pitch": ""})
    client.post(
        f"/caseworker/suggestions/{s.mentor.id}/approve",
        data={f"s{s.mentor.id}-pitch": "Vil gerne tale om fodbold"},
    )
    db.refresh(s.low)
    db.refresh(s.mentor)
    answer_as_company(db, company_user, s.low, True, "Kom forbi tirsdag kl. 10")
    answer_as_mentor(db, s.slot.mentor, s.mentor, True)
    db.flush()
    page = client.get(f"/caseworker/profiles/{s.youth.id}").text
    assert "Virksomheden er interesseret" in page and "Kom forbi tirsdag kl. 10" in page
    assert "Mentoren har sagt ja" in page
    assert "Virksomheden har svaret" in page and "Mentoren har svaret" in page  # the trail


def test_outcome_flow(client, db, caseworker, queue_setup):
    s = queue_setup.done
    follow_up = (utcnow() + timedelta(days=21)).date()
    response = client.post(
        f"/caseworker/suggestions/{s.id}/outcome",
        data={f"s{s.id}-outcome": "apprenticeship", f"s{s.id}-follow_up_on": follow_up.isoformat()},
    )
    assert response.status_code == 302
    db.refresh(s)
    youth = s.youth
    db.refresh(youth)
    assert (s.status, s.outcome) == (SuggestionStatus.PLACED, Outcome.APPRENTICESHIP)
    assert (youth.status, youth.follow_up_on) == (ProfileStatus.PLACED, follow_up)
    listing = client.get("/caseworker/?status=placed").text
    assert youth.pseudonym in listing
    assert "suggestion.outcome" in _actions(db, s.id)


def test_outcome_nothing_ends_the_proposal(client, db, queue_setup):
    s = queue_setup.done
    client.post(f"/caseworker/suggestions/{s.id}/outcome", data={f"s{s.id}-outcome": "none"})
    db.refresh(s)
    assert (s.status, s.outcome) == (SuggestionStatus.ENDED, Outcome.NONE)
    assert s.youth.status is ProfileStatus.ACTIVE


def test_outcome_needs_an_approved_proposal(client, db, queue_setup):
    s = queue_setup.high
    response = client.post(
        f"/caseworker/suggestions/{s.id}/outcome",
        data={f"s{s.id}-outcome": "job"},
        follow_redirects=True,
    )
    assert "kun registreres for et godkendt forslag" in response.text
    db.refresh(s)
    assert s.outcome is None


def test_find_matches_now_runs_the_engine_for_that_profile(
    client, db, caseworker, queue_setup, monkeypatch
):
    calls = []

    def refresh_for_profile(session, profile, now):
        calls.append(profile.id)
        return ["a", "b"]

    monkeypatch.setattr(fast_paths, "refresh_for_profile", refresh_for_profile)
    response = client.post(
        f"/caseworker/profiles/{queue_setup.youth.id}/match", follow_redirects=True
    )
    assert calls == [queue_setup.youth.id]
    assert "2 forslag fundet." in response.text
    assert "profile.match" in _actions(db, queue_setup.youth.id)


def test_saving_a_profile_runs_the_fast_path(client, caseworker, form_data, monkeypatch):
    calls = []
    monkeypatch.setattr(
        fast_paths,
        "refresh_for_profile",
        lambda session, profile, now: calls.append(profile.id) or [],
    )
    client.post("/caseworker/profiles/new", data=form_data())
    assert len(calls) == 1


def test_a_failing_engine_never_loses_the_profile(client, db, caseworker, form_data, monkeypatch):

    def broken(session, profile, now):
        raise RuntimeError("engine down")

    monkeypatch.setattr(fast_paths, "refresh_for_profile", broken)
    response = client.post("/caseworker/profiles/new", data=form_data(), follow_redirects=True)
    assert response.status_code == 200
    assert "kører igen i nat" in response.text
    from models.youth import YouthProfile

    assert db.scalar(select(YouthProfile.id)) is not None


OBJECT_ROUTES = [
    ("get", "/caseworker/profiles/{p}"),
    ("get", "/caseworker/profiles/{p}/edit"),
    ("post", "/caseworker/profiles/{p}/edit"),
    ("post", "/caseworker/profiles/{p}/status"),
    ("post", "/caseworker/profiles/{p}/match"),
    ("post", "/caseworker/suggestions/{s}/approve"),
    ("post", "/caseworker/suggestions/{s}/reject"),
    ("post", "/caseworker/suggestions/{s}/outcome"),
]


@pytest.mark.parametrize("method,url", OBJECT_ROUTES)
def test_foreign_ids_answer_404(client, db, queue_setup, method, url, form_data):
    foreign = queue_setup.foreign
    target = url.format(p=foreign.youth_id, s=foreign.id)
    response = getattr(client, method)(target, data=form_data(status="closed"))
    assert response.status_code == 404
    assert foreign.youth.pseudonym not in response.text
    db.refresh(foreign)
    assert foreign.status is SuggestionStatus.PROPOSED
    assert foreign.youth.status is ProfileStatus.ACTIVE
    # and an ID that does not exist at all looks the same
    missing = url.format(p=999999, s=999999)
    assert getattr(client, method)(missing, data={}).status_code == 404


def test_queue_cards_read_as_rows_agree_with_the_orm(
    db, caseworker, make_youth, make_opening, make_slot, make_suggestion, age_profile
):
    """The queue reads its cards as plain rows (models/review_queue.cards); what each card
    shows must be what the ORM objects and the shared helpers give: the target's title,
    organisation, town, kind, start and status, the seats and places left (placed
    suggestions take seats, accepted offers places), and the days without an approved
    proposal (the later of active_since and the last approval; a rejection is none)."""
    from models import review_queue
    from models.caseload import days_between, last_approval_at
    from models.operations.placement import targets_left
    from models.operations.profiles import days_without_approved_proposal
    from models.scoping import suggestions_for
    from models.suggestion import Suggestion
    from models.youth import YouthProfile

    now = utcnow()
    taken = make_opening(title="Lager", seats=3, postcode="2200")
    free = make_opening(title="Kasse", seats=2, postcode="2300", start_date=None)
    slot = make_slot(title="Mentor", capacity=2, postcode="2400")
    old = age_profile(make_youth(caseworker), 60)
    approved_lately = age_profile(make_youth(caseworker), 90)
    rejected_only = age_profile(make_youth(caseworker), 45)
    fresh = make_youth(caseworker)
    for _ in range(2):
        make_suggestion(make_youth(caseworker), taken, status=SuggestionStatus.PLACED)
    make_suggestion(make_youth(caseworker), slot, status=SuggestionStatus.ACCEPTED)
    make_suggestion(
        approved_lately,
        make_opening(),
        status=SuggestionStatus.APPROVED,
        decided_at=now - timedelta(days=12),
    )
    make_suggestion(
        rejected_only,
        make_opening(),
        status=SuggestionStatus.REJECTED,
        decided_at=now - timedelta(days=3),
    )
    page = [
        make_suggestion(youth, target, score=score)
        for youth, target, score in (
            (old, taken, 0.9),
            (approved_lately, free, 0.8),
            (rejected_only, slot, 0.7),
            (fresh, taken, 0.6),
        )
    ]
    db.flush()
    query = suggestions_for(caseworker).where(
        Suggestion.status == SuggestionStatus.PROPOSED,
        YouthProfile.status == ProfileStatus.ACTIVE,
    )
    cards = review_queue.cards(
        db, review_queue.apply(query, review_queue.QueueFilters(), now).limit(25)
    )
    assert [c.id for c in cards] == [s.id for s in page]
    left = targets_left(db, page)
    approvals = last_approval_at(db, [s.youth_id for s in page])
    for card, orm in zip(cards, page, strict=True):
        target, shown = orm.target, card.target
        assert (shown.id, shown.title, shown.status, shown.kind, shown.start_date) == (
            target.id,
            target.title,
            target.status,
            getattr(target, "kind", None),
            getattr(target, "start_date", None),
        )
        assert type(shown.status) is type(target.status)
        assert shown.organisation.name == target.organisation.name
        assert shown.postcode_ref.name == target.postcode_ref.name
        assert shown.left == left[(orm.target_kind.value, target.id)]
        assert (card.youth.pseudonym, card.score, card.reasons, card.status) == (
            orm.youth.pseudonym,
            orm.score,
            orm.reasons,
            orm.status,
        )
        today = now.date()
        assert days_between(card.searching_since, today) == days_without_approved_proposal(
            orm.youth, today, approvals.get(orm.youth_id)
        )
    assert [c.target.left for c in cards] == [1, 2, 1, 1]
    assert [days_between(c.searching_since, now.date()) for c in cards] == [60, 12, 45, 0]
