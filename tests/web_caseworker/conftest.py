"""Fixtures for the caseworker pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models.base import utcnow
from models.enums import Role
from tests.jobs.conftest import smtp_server  # noqa: F401 (the real SMTP server)


@pytest.fixture()
def caseworker(make_user, login_as):
    return login_as(make_user(Role.CASEWORKER, name="Sara Sagsbehandler", municipality_code=101))


@pytest.fixture()
def foreign_caseworker(make_user):
    return make_user(Role.CASEWORKER, municipality_code=751)


@pytest.fixture()
def age_profile(db):
    """Make a profile look as if it has been active for ``days`` days."""

    def age(profile, days):
        profile.active_since = utcnow() - timedelta(days=days)
        profile.last_activity_at = profile.active_since
        db.flush()
        return profile

    return age


@pytest.fixture()
def form_data():
    """Valid data for the profile form, with overrides (None drops a field)."""
    return _valid_form


def _valid_form(**overrides):
    today = utcnow().date()
    data = {
        "birth_year": str(today.year - 20),
        "postcode": "2200",
        "max_commute_km": "15",
        "education_level": "primary",
        "skills": "kundeservice, rengøring",
        "interests": "fodbold, musik",
        "wished_occupations": "lagerarbejder, butiksassistent",
        "hours_min": "15",
        "hours_max": "30",
        "languages": "da, en",
        "available_from": "",
        "support_notes": "Har brug for hjælp til at komme op om morgenen.",
        "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
