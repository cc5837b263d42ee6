"""The caseworker reads the whole ad from the queue card (read-only, own partnership only),
tells same-named targets apart on the card, and reports an ad to the secretariat."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from jobs.outbox import send_pending
from jobs.settings import JobSettings
from models.ad_review import AdReview
from models.audit import AuditEvent
from models.base import utcnow
from models.enums import OpeningKind, Role
from models.operations.accounts import create_partnership


@pytest.fixture()
def ads(db, caseworker, make_user, make_org, make_youth, make_opening, make_slot, make_suggestion):
    partnership = create_partnership(db, "Partnerskab København", [101])
    org = make_org(
        name="Netto Nørrebro", contact_email="job@netto.example.dk", partnerships=[partnership]
    )
    company = make_user(
        Role.COMPANY, organisation=org, name="Karen Købmand", phone="+45 11 22 33 44"
    )
    start = utcnow().date() + timedelta(days=14)
    first = make_opening(
        company,
        title="Kasseassistent",
        kind=OpeningKind.SMALL_JOB,
        postcode="2200",
        seats=2,
        min_age=16,
        hours_min=8,
        hours_max=15,
        start_date=start,
        description="Du sidder ved kassen.\n\nVi har fleksible vagter.",
    )
    second = make_opening(company, title="Kasseassistent", postcode="2300")
    draft = make_opening(company, title="Kladde", publish=False)
    stranger = make_opening(title="Fremmed stilling")  # another company, no partnership
    slot = make_slot(title="Mentor – kom i gang", postcode="2100", capacity=3)
    youth = make_youth(caseworker)
    s1 = make_suggestion(youth, first, score=0.9)
    s2 = make_suggestion(youth, second, score=0.8)
    s3 = make_suggestion(youth, slot, score=0.7)
    db.flush()
    return locals()


def test_cards_tell_same_named_openings_apart_and_link_to_the_ad(client, ads):
    html = client.get("/caseworker/queue").text
    first = html[html.index(f'id="suggestion-{ads["s1"].id}"') :]
    first = first[: first.index("</article>")]
    second = html[html.index(f'id="suggestion-{ads["s2"].id}"') :]
    second = second[: second.index("</article>")]
    assert "København N" in first and "Småjob" in first and "2 pladser tilbage" in first
    assert ads["start"].strftime("%d") in first or str(ads["start"].day) in first
    assert "København S" in second and "1 plads tilbage" in second
    assert f"/caseworker/openings/{ads['first'].id}?back=" in first
    slot = html[html.index(f'id="suggestion-{ads["s3"].id}"') :]
    assert "3 pladser tilbage" in slot[: slot.index("</article>")]
    assert f"/caseworker/mentor-slots/{ads['slot'].id}?back=" in slot


def test_the_whole_opening_is_one_click_from_the_card(client, ads):
    html = client.get("/caseworker/queue").text
    link = re.search(rf'href="(/caseworker/openings/{ads["first"].id}\?back=[^"]+)"', html).group(1)
    page = client.get(link.replace("&amp;", "&"))
    assert page.status_code == 200
    text = page.text
    for expected in (
        "Kasseassistent",
        "Netto Nørrebro",
        "Du sidder ved kassen.",
        "Vi har fleksible vagter.",
        "Småjob",
        "8–15",
        "16 år",
        "2200 København N",
        "2 af 2",
        "job@netto.example.dk",
        "Karen Købmand",
        "+45 11 22 33 44",
    ):
        assert expected in text, expected
    assert f'href="/caseworker/queue#suggestion-{ads["s1"].id}"' in text  # back to the card
    assert "<form" not in text.split("<main")[1].split("report")[0]  # read-only above the report
    slot_page = client.get(f"/caseworker/mentor-slots/{ads['slot'].id}")
    assert slot_page.status_code == 200 and "3 af 3" in slot_page.text


def test_foreign_and_draft_ads_answer_404(client, ads, make_user, login_as):
    assert client.get(f"/caseworker/openings/{ads['stranger'].id}").status_code == 404
    assert client.get(f"/caseworker/openings/{ads['draft'].id}").status_code == 404
    assert client.get("/caseworker/openings/999999").status_code == 404
    assert (
        client.post(
            f"/caseworker/openings/{ads['stranger'].id}/report", data={"reason": "x"}
        ).status_code
        == 404
    )
    # A caseworker of another municipality (outside the partnership) sees none of them.
    client.post("/logout")
    login_as(make_user(Role.CASEWORKER, municipality_code=751))
    assert client.get(f"/caseworker/openings/{ads['first'].id}").status_code == 404
    assert client.get(f"/caseworker/mentor-slots/{ads['slot'].id}").status_code == 404


def test_an_ad_outside_the_partnership_opens_once_proposed_to_the_municipality(
    client, db, ads, make_user, make_youth, make_opening, make_suggestion, login_as
):
    """Proposed to a young person of the caseworker's municipality (any caseworker's there):
    readable; proposed only to another municipality's young people: 404."""
    here = make_opening(title="Uden for partnerskabet")
    elsewhere = make_opening(title="Foreslået i Aarhus")
    colleague = make_user(Role.CASEWORKER, municipality_code=101)
    make_suggestion(make_youth(colleague), here, score=0.6)
    make_suggestion(make_youth(make_user(Role.CASEWORKER, municipality_code=751)), elsewhere)
    db.flush()
    page = client.get(f"/caseworker/openings/{here.id}")
    assert page.status_code == 200 and "Uden for partnerskabet" in page.text
    assert client.get(f"/caseworker/openings/{elsewhere.id}").status_code == 404
    client.post("/logout")
    login_as(make_user(Role.CASEWORKER, municipality_code=751))
    assert client.get(f"/caseworker/openings/{elsewhere.id}").status_code == 200
    assert client.get(f"/caseworker/openings/{here.id}").status_code == 404


def test_partners_cannot_open_the_caseworker_ad_page(client, ads, login_as):
    client.post("/logout")
    login_as(ads["company"])
    assert client.get(f"/caseworker/openings/{ads['first'].id}").status_code == 403


def test_report_an_ad(client, db, ads, make_user, smtp_server):
    """The whole-ad page reports through the one operation: the report waits in the admins'
    review queue, is audited, and the admins are mailed."""
    admin = make_user(Role.ADMIN, email="sekretariat@partnerskab.dk")
    url = f"/caseworker/openings/{ads['first'].id}/report"
    refused = client.post(url, data={"reason": "Forkert", "back": "/caseworker/queue"})
    assert refused.status_code == 422
    assert 'id="report-reason-error"' in refused.text and 'aria-invalid="true"' in refused.text
    assert "mindst 10 tegn" in refused.text and db.scalars(select(AdReview)).all() == []
    done = client.post(
        url, data={"reason": "Kræver dansk som modersmål", "back": "/caseworker/queue"}
    )
    assert done.status_code == 302
    review = db.scalars(select(AdReview)).one()
    assert (review.kind, review.status, review.opening_id) == (
        "reported",
        "pending",
        ads["first"].id,
    )
    assert review.report_reason == "Kræver dansk som modersmål"
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "ad.report")).one()
    assert (
        event.object_id == ads["first"].id
        and event.details["reason"] == "Kræver dansk som modersmål"
        and event.details["review_id"] == review.id
    )
    settings = JobSettings(smtp_url=smtp_server.url)
    send_pending(db, datetime.now(UTC) + timedelta(minutes=1), settings)
    (mail,) = smtp_server.handler.messages
    assert mail["To"] == admin.email
    text = mail.get_payload()[0].get_payload(decode=True).decode()
    assert "Kræver dansk som modersmål" in text
    assert "sekretariat" in client.get(done.headers["Location"]).text
    # An outside address is never used as the way back.
    evil = client.get(f"/caseworker/openings/{ads['first'].id}?back=//evil.example")
    assert "evil.example" not in evil.text.split("<main")[1].split("</a>")[0]
