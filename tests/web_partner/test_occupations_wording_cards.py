"""The occupation autocomplete, the wording check and the anonymous card."""

from __future__ import annotations

from datetime import date

import pytest

from models.cards import age_band, anonymous_card
from models.enums import Role
from models.wording import AGE, DISABILITY, ETHNICITY, GENDER, RELIGION, check_text, check_wording

# --- autocomplete ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("lagerarbjder", "lagerarbejder"),
        ("koekkenassistent", "køkkenassistent"),
        ("kokkenassistent", "køkkenassistent"),
        ("toemrer", "tømrer"),
        ("Butiksassistent", "butiksassistent"),
    ],
)
def test_search_is_tolerant_of_typos_and_ascii_spellings(
    client, make_user, login_as, typed, expected
):
    login_as(make_user(Role.COMPANY))
    response = client.get("/occupations/search", query_string={"q": typed})
    assert response.status_code == 200
    hits = response.get_json()
    assert hits and hits[0]["label"] == expected
    assert all(hit["uri"].startswith("http://data.europa.eu/esco/occupation/") for hit in hits)


def test_search_finds_alternative_labels(client, make_user, login_as):
    login_as(make_user(Role.CASEWORKER))
    hits = client.get("/occupations/search?q=lagermedarbejder").get_json()
    assert "lagerarbejder" in [hit["label"] for hit in hits]


def test_search_needs_login_and_handles_empty_queries(client, make_user, login_as):
    assert client.get("/occupations/search?q=kok").status_code in (302, 401)
    login_as(make_user(Role.MENTOR))
    assert client.get("/occupations/search?q=").get_json() == []
    assert client.get("/occupations/search?q=x").get_json() == []


# --- wording ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,category",
    [
        ("Max 25 år", AGE),
        ("MAKS 25 AAR", AGE),
        ("Vi søger en ung og frisk medarbejder", AGE),
        ("Du skal være under 30", AGE),
        ("Ansøgere mellem 18 og 25 år", AGE),
        ("young and energetic team player", AGE),
        ("Dansk pige søges til butik", GENDER),
        ("Han skal kunne løfte 20 kg", GENDER),
        ("Kvindelige ansøgere foretrækkes", GENDER),
        ("Male only", GENDER),
        ("She must have a driving licence", GENDER),
        ("Etnisk dansk medarbejder", ETHNICITY),
        ("Kun danskere", ETHNICITY),
        ("Dansk som modersmål", ETHNICITY),
        ("native Danish speaker", ETHNICITY),
        ("Ingen tørklæder i butikken", RELIGION),
        ("ingen toerklaeder", RELIGION),
        ("no headscarves", RELIGION),
        ("Ingen handicap", DISABILITY),
        ("Must be healthy", DISABILITY),
        ("Du skal være fysisk og psykisk frisk", DISABILITY),
    ],
)
def test_discriminating_wording_is_found(text, category):
    findings = check_text(text, "description")
    assert category in {f.category for f in findings}, findings
    assert all(f.field == "description" and f.phrase and f.explanation for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        "Lagermedarbejder 20-30 timer om ugen",
        "Vi tilbyder op til 30 timer om ugen og 25 km fra Vejle",
        "Du skal være mindst 18 år (kørsel med truck)",
        "Du må ikke være under 18 år, fordi du skal servere alkohol",
        "Dansk på samtaleniveau, gerne engelsk",
        "Kørekort B. Løft op til 15 kg.",
        "Medarbejderen skal kunne arbejde i weekender",
        "The employee will handle customers",
    ],
)
def test_ordinary_wording_passes(text):
    assert check_text(text) == []


def test_check_wording_names_each_field():
    findings = check_wording(
        {"title": "Pige til kiosk", "description": "Ok tekst", "required_skills": ["etnisk dansk"]}
    )
    assert {(f.field, f.category) for f in findings} == {
        ("title", GENDER),
        ("required_skills", ETHNICITY),
    }


# --- card -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "age,band", [(15, "15–17"), (17, "15–17"), (18, "18–20"), (22, "21–24"), (29, "25–29")]
)
def test_age_bands(age, band):
    assert age_band(2026 - age, date(2026, 6, 1)) == band


def test_card_holds_only_what_partners_may_see(make_youth, make_opening, approved):
    youth = make_youth(
        birth_year=2004,
        postcode="8000",
        skills=["lager"],
        interests=["musik"],
        languages=["da", "uk"],
        driving_licence=True,
        support_notes="Fortroligt",
        available_from=date(2026, 12, 1),
    )
    suggestion = approved(youth, make_opening(), pitch="Stærk motivation")
    card = anonymous_card(suggestion, today=date(2026, 11, 28))
    data = card.as_dict()
    assert data == {
        "age_band": "21–24",
        "municipality": "København",  # the owning municipality, not the postcode
        "skills": ["lager"],
        "interests": ["musik"],
        "available_from": "2026-12-01",
        "hours_min": youth.hours_min,
        "hours_max": youth.hours_max,
        "languages": ["da", "uk"],
        "driving_licence": True,
        "pitch": "Stærk motivation",
    }
    flat = repr(data)
    for secret in (youth.pseudonym, "2004", "8000", "Fortroligt"):
        assert secret not in flat
    assert anonymous_card(youth, "Anden tekst").pitch == "Anden tekst"


def test_autocomplete_script_is_served_as_a_file(client):
    response = client.get("/static/js/occupation-autocomplete.js")
    assert response.status_code == 200
    assert "data-autocomplete-url" in response.text
    response.close()
