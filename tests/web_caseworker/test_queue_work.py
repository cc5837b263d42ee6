"""A queue people can work through: filters, sort, grouping by young person, and a refused
decision that comes back to its card with the message in view and the queue's URL."""

from __future__ import annotations

import re
import types
from datetime import timedelta

import pytest

from models.base import utcnow
from models.enums import SuggestionStatus


@pytest.fixture()
def q(db, caseworker, make_youth, make_opening, make_slot, make_suggestion, age_profile):
    fresh = make_youth(caseworker)
    waiting = age_profile(make_youth(caseworker), 45)
    a, b = make_opening(title="Kasseassistent"), make_opening(title="Lagermedarbejder")
    slot = make_slot(title="Frivillig mentor")
    s = types.SimpleNamespace(fresh=fresh, waiting=waiting)
    s.fresh_a = make_suggestion(fresh, a, score=0.91)
    s.fresh_slot = make_suggestion(fresh, slot, score=0.65)
    s.waiting_a = make_suggestion(waiting, a, score=0.55)
    s.waiting_b = make_suggestion(waiting, b, score=0.85)
    s.waiting_b.created_at = utcnow() + timedelta(minutes=5)
    db.flush()
    return s


def _ids(html):
    return [
        int(i)
        for i in re.findall(r'<article class="card suggestion[^"]*" id="suggestion-(\d+)"', html)
    ]


def test_filters(client, q):
    assert _ids(client.get("/caseworker/queue").text) == [
        q.fresh_a.id,
        q.waiting_b.id,
        q.fresh_slot.id,
        q.waiting_a.id,
    ]
    assert _ids(client.get("/caseworker/queue?kind=mentor_slot").text) == [q.fresh_slot.id]
    assert _ids(client.get("/caseworker/queue?kind=opening&band=high").text) == [
        q.fresh_a.id,
        q.waiting_b.id,
    ]
    assert _ids(client.get("/caseworker/queue?band=low").text) == [q.waiting_a.id]
    part = q.waiting.pseudonym[2:6].lower()
    assert _ids(client.get(f"/caseworker/queue?youth={part}").text) == [
        q.waiting_b.id,
        q.waiting_a.id,
    ]
    assert _ids(client.get("/caseworker/queue?days=30").text) == [q.waiting_b.id, q.waiting_a.id]
    assert _ids(client.get("/caseworker/queue?days=60").text) == []
    assert "Ingen nye forslag passer til filtrene." in client.get("/caseworker/queue?days=60").text
    # Unknown values are ignored, not errors.
    assert client.get("/caseworker/queue?kind=x&band=y&days=7&sort=z").status_code == 200


def test_sorts_and_grouping(client, q):
    assert _ids(client.get("/caseworker/queue?sort=newest").text)[0] == q.waiting_b.id
    assert _ids(client.get("/caseworker/queue?sort=waiting").text) == [
        q.waiting_b.id,
        q.waiting_a.id,
        q.fresh_a.id,
        q.fresh_slot.id,
    ]
    html = client.get("/caseworker/queue?group=1").text
    headers = re.findall(r'<h2 class="youth-group" id="youth-(\d+)"', html)
    assert headers == [str(q.waiting.id), str(q.fresh.id)]  # longest waiting first
    assert _ids(html) == [q.waiting_b.id, q.waiting_a.id, q.fresh_a.id, q.fresh_slot.id]
    assert (
        'name="group" value="1" checked' in html and '<details class="queue-filters" open>' in html
    )


def test_a_refused_approval_comes_back_to_its_card_with_the_queue_url(client, db, q):
    s = q.waiting_b
    response = client.post(
        f"/caseworker/suggestions/{s.id}/approve?kind=opening&group=1",
        data={f"s{s.id}-pitch": "Ring på 12345678", "return_to": "queue"},
    )
    assert response.status_code == 422
    html = response.text
    # The summary at the top links to the card's message, which takes the focus.
    summary = html[html.index('class="error-summary"') :]
    assert summary.index("error-summary") < html.index(f'id="suggestion-{s.id}"')
    assert f'href="#suggestion-{s.id}-error"' in summary and "telefonnummer" in summary
    card = html[html.index(f'id="suggestion-{s.id}"') :]
    card = card[: card.index("</article>")]
    assert (
        f'id="suggestion-{s.id}-error" role="alert" aria-live="assertive" tabindex="-1" data-focus'
        in card
    )
    assert "Ring på 12345678" in card  # what was typed is kept
    # The page's own URL is the queue with its filters (the script puts it in the address bar).
    assert 'data-queue-url="/caseworker/queue?kind=opening&amp;group=1"' in html
    assert "js/queue.js" in html
    assert f'action="/caseworker/suggestions/{s.id}/approve?kind=opening&amp;group=1"' in card
    db.refresh(s)
    assert s.status is SuggestionStatus.PROPOSED


def test_decisions_return_to_the_filtered_queue(client, db, q):
    s = q.fresh_a
    ok = client.post(
        f"/caseworker/suggestions/{s.id}/approve?band=high&page=1",
        data={f"s{s.id}-pitch": "Stabil", "return_to": "queue"},
    )
    assert ok.status_code == 302 and ok.headers["Location"] == "/caseworker/queue?band=high"
    again = client.post(
        f"/caseworker/suggestions/{s.id}/approve?band=high",
        data={f"s{s.id}-pitch": "", "return_to": "queue"},
    )
    assert again.status_code == 302 and again.headers["Location"] == "/caseworker/queue?band=high"
    assert "allerede besvaret" in client.get(again.headers["Location"]).text
