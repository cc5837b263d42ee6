"""Mentor pages: offers as anonymous cards, accept/decline, assignments, slots, capacity."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from models.enums import Role, SlotStatus, SuggestionStatus
from models.mentor_slot import MentorSlot
from models.notification import Notification
from models.operations.mentor_slots import set_mentor_slot_status
from models.suggestion import Suggestion

TODAY = date.today()


def slot_form(**overrides):
    data = {
        "title": "Lektiehjælp og snak",
        "description": "Vi mødes en gang om ugen.",
        "interests": "fodbold, gaming",
        "languages": "da, en",
        "postcode": "2200",
        "max_distance_km": "15",
        "capacity": "2",
        "available_from": "",
        "available_until": "",
    }
    data.update(overrides)
    return data


def test_offers_show_anonymous_cards(client, mentor_user, make_slot, make_youth, approved):
    slot = make_slot(mentor_user, title="Fodboldmentor")
    youth = make_youth(
        birth_year=TODAY.year - 23,
        interests=["fodbold"],
        support_notes="Fortrolig note om misbrug",
        postcode="2200",
    )
    offer = approved(youth, slot, pitch="Vil gerne i gang med at træne.")
    for url in ("/mentor/", f"/mentor/offers/{offer.id}"):
        html = client.get(url).text
        assert "21–24 år" in html
        assert "Vil gerne i gang med at træne." in html
        assert youth.pseudonym not in html
        assert str(youth.birth_year) not in html
        assert "2200" not in html
        assert "Fortrolig note" not in html


def test_accept_shows_caseworker_contact_and_withdraws_other_offers(
    db, client, mentor_user, make_user, make_slot, make_youth, approved
):
    caseworker = make_user(Role.CASEWORKER, name="Sara Sagsbehandler", phone="33 12 34 56")
    youth = make_youth(caseworker)
    offer = approved(youth, make_slot(mentor_user))
    other = approved(youth, make_slot())  # another mentor's offer for the same young person
    before = client.get(f"/mentor/offers/{offer.id}").text
    assert "sara" not in before.lower() and caseworker.email not in before
    response = client.post(f"/mentor/offers/{offer.id}/answer", data={"answer": "accept"})
    assert response.status_code == 302
    db.expire_all()
    assert offer.status is SuggestionStatus.ACCEPTED
    assert other.status is SuggestionStatus.WITHDRAWN
    page = client.get(response.headers["Location"]).text
    assert "Sara Sagsbehandler" in page and caseworker.email in page and "33 12 34 56" in page
    assignments = client.get("/mentor/assignments").text
    assert "Sara Sagsbehandler" in assignments
    kinds = db.scalars(
        select(Notification.kind).where(Notification.recipient_id == caseworker.id)
    ).all()
    assert "mentoring.answered" in kinds


def test_decline_needs_a_reason_in_danish(db, client, mentor_user, make_slot, make_youth, approved):
    offer = approved(make_youth(), make_slot(mentor_user))
    response = client.post(f"/mentor/offers/{offer.id}/answer", data={"answer": "decline"})
    assert response.status_code == 422
    assert "Skriv, hvorfor du siger nej." in response.text
    db.expire_all()
    assert offer.status is SuggestionStatus.APPROVED
    response = client.post(
        f"/mentor/offers/{offer.id}/answer", data={"answer": "decline", "reason": "Ingen tid"}
    )
    assert response.status_code == 302
    db.expire_all()
    assert offer.status is SuggestionStatus.DECLINED
    assert offer.response_message == "Ingen tid"


def test_full_slot_refuses_accept(db, client, mentor_user, make_slot, make_youth, approved):
    slot = make_slot(mentor_user, capacity=1)
    approved(make_youth(), slot, status=SuggestionStatus.ACCEPTED)
    offer = approved(make_youth(), slot)
    page = f"/mentor/offers/{offer.id}"
    response = client.post(
        f"{page}/answer", data={"answer": "accept"}, headers={"Referer": f"http://localhost{page}"}
    )
    assert response.status_code == 303 and response.headers["Location"] == page
    assert "Denne mentorplads er fuldt besat." in client.get(page).text
    db.expire_all()
    assert offer.status is SuggestionStatus.APPROVED


def test_foreign_offer_is_404(db, client, mentor_user, make_slot, make_youth, approved):
    foreign = approved(make_youth(), make_slot())
    assert client.get(f"/mentor/offers/{foreign.id}").status_code == 404
    response = client.post(f"/mentor/offers/{foreign.id}/answer", data={"answer": "accept"})
    assert response.status_code == 404
    db.expire_all()
    assert foreign.status is SuggestionStatus.APPROVED


def test_slot_crud_and_pause_declines_pending_offers(db, client, mentor_user, make_youth, approved):
    response = client.post("/mentor/slots/new", data=slot_form())
    assert response.status_code == 302
    slot = db.scalars(select(MentorSlot).where(MentorSlot.mentor_id == mentor_user.id)).one()
    assert slot.interests == ["fodbold", "gaming"] and slot.capacity == 2
    assert "Lektiehjælp og snak" in client.get("/mentor/slots").text
    response = client.post(f"/mentor/slots/{slot.id}/edit", data=slot_form(capacity="3"))
    assert response.status_code == 302
    db.refresh(slot)
    assert slot.capacity == 3
    youth = make_youth()
    offer = approved(youth, slot)
    client.post(f"/mentor/slots/{slot.id}/status", data={"action": "pause"})
    db.expire_all()
    assert slot.status is SlotStatus.PAUSED
    assert offer.status is SuggestionStatus.DECLINED
    told = db.scalars(
        select(Notification).where(Notification.recipient_id == youth.caseworker_id)
    ).all()
    assert [n.kind for n in told] == ["mentoring.answered"]


def test_slot_form_errors_are_danish_and_keep_input(client, mentor_user):
    response = client.post("/mentor/slots/new", data=slot_form(postcode="0000", capacity="0"))
    assert response.status_code == 422
    assert 'value="Lektiehjælp og snak"' in response.text
    assert "fodbold, gaming" in response.text
    response = client.post("/mentor/slots/new", data=slot_form(postcode="0000"))
    assert "Ukendt postnummer." in response.text


def test_foreign_slot_is_404(client, mentor_user, make_slot):
    foreign = make_slot()
    assert client.get(f"/mentor/slots/{foreign.id}/edit").status_code == 404
    assert (
        client.post(f"/mentor/slots/{foreign.id}/status", data={"action": "close"}).status_code
        == 404
    )


def test_company_manages_its_own_mentor_slots(db, client, company_user, make_slot):
    response = client.post("/company/slots/new", data=slot_form(title="Mentor i butikken"))
    assert response.status_code == 302
    assert "Mentor i butikken" in client.get("/company/slots").text
    foreign = make_slot()
    assert client.get(f"/company/slots/{foreign.id}/edit").status_code == 404


def test_other_roles_get_403(client, make_user, login_as):
    login_as(make_user(Role.COMPANY))
    assert client.get("/mentor/").status_code == 403
    assert client.get("/mentor/assignments").status_code == 403


def test_pausing_a_slot_directly_declines_and_tells(db, make_slot, make_youth, approved):
    slot = make_slot()
    youth = make_youth()
    offer = approved(youth, slot)
    set_mentor_slot_status(db, slot.mentor, slot, SlotStatus.PAUSED)
    assert offer.status is SuggestionStatus.DECLINED
    assert (
        db.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.recipient_id == youth.caseworker_id)
        )
        == 1
    )


def test_new_slot_computes_suggestions_at_once(db, client, mentor_user, make_youth):
    youth = make_youth(needs_mentor=True, interests=["fodbold"], postcode="2200")
    response = client.post("/mentor/slots/new", data=slot_form())
    assert response.status_code == 302
    slot = db.scalars(select(MentorSlot).where(MentorSlot.mentor_id == mentor_user.id)).one()
    found = db.scalars(select(Suggestion).where(Suggestion.mentor_slot_id == slot.id)).all()
    assert [s.youth_id for s in found] == [youth.id]


def test_company_answers_offers_for_its_workplace_mentor_slot(
    db, client, company_user, make_user, make_slot, make_youth, approved
):
    colleague = make_user(Role.COMPANY, organisation=company_user.organisation)
    slot = make_slot(colleague, title="Mentor på værkstedet")
    caseworker = make_user(Role.CASEWORKER, name="Ali Sagsbehandler")
    offer = approved(make_youth(caseworker, support_notes="Må ikke ses"), slot)
    dashboard = client.get("/company/").text
    assert "Mentor på værkstedet" in dashboard
    page = client.get(f"/company/slots/{slot.id}").text
    assert "Må ikke ses" not in page and offer.youth.pseudonym not in page
    assert "Ali Sagsbehandler" not in page
    missing = client.post(
        f"/company/slots/offers/{offer.id}/answer",
        data={"answer": "decline"},
        headers={"Referer": f"http://localhost/company/slots/{slot.id}"},  # the slot's page
    )
    assert missing.headers["Location"] == f"/company/slots/{slot.id}"
    assert "Skriv, hvorfor du siger nej." in client.get(missing.headers["Location"]).text
    response = client.post(f"/company/slots/offers/{offer.id}/answer", data={"answer": "accept"})
    assert response.status_code == 302
    db.expire_all()
    assert offer.status is SuggestionStatus.ACCEPTED
    assert "Ali Sagsbehandler" in client.get(f"/company/slots/{slot.id}").text


def test_foreign_slot_offers_are_404(db, client, company_user, make_slot, make_youth, approved):
    foreign_slot = make_slot()
    offer = approved(make_youth(), foreign_slot)
    assert client.get(f"/company/slots/{foreign_slot.id}").status_code == 404
    response = client.post(f"/company/slots/offers/{offer.id}/answer", data={"answer": "accept"})
    assert response.status_code == 404
    db.expire_all()
    assert offer.status is SuggestionStatus.APPROVED
