"""The demo data set: believable, idempotent, and every demo login works."""

from sqlalchemy import func, select

from jobs.demo import load_demo
from models import JobOpening, MentorSlot, Organisation, Partnership, User, YouthProfile
from models.enums import OrganisationKind


def _count(db, model, *where):
    return db.scalar(select(func.count()).select_from(model).where(*where))


def test_demo_is_complete_and_idempotent(db, app):
    logins = load_demo(db)
    assert {login.role for login in logins} == {
        "admin",
        "caseworker",
        "company",
        "mentor",
        "secretariat",
    }
    counts = {
        "partnerships": _count(db, Partnership),
        "companies": _count(db, Organisation, Organisation.kind == OrganisationKind.COMPANY),
        "civil": _count(db, Organisation, Organisation.kind == OrganisationKind.CIVIL_SOCIETY),
        "openings": _count(db, JobOpening),
        "slots": _count(db, MentorSlot),
        "profiles": _count(db, YouthProfile),
        "users": _count(db, User),
    }
    assert counts["partnerships"] == 3
    assert counts["companies"] == 10
    assert counts["civil"] == 3
    assert counts["openings"] == 40
    assert counts["slots"] == 10
    assert counts["profiles"] == 50
    load_demo(db)
    assert _count(db, YouthProfile) == 50 and _count(db, User) == counts["users"]

    client = app.test_client()
    starts = {
        "admin": "/admin/",
        "caseworker": "/caseworker/",
        "company": "/company/",
        "mentor": "/mentor/",
        "secretariat": "/secretariat/",
    }
    for login in logins:
        # Demo users have the real (expensive) hash of the demo password.
        response = client.post("/login", data={"email": login.email, "password": login.password})
        assert response.headers["Location"] == starts[login.role]
        for role, path in starts.items():
            assert client.get(path).status_code == (200 if role == login.role else 403)
        client.post("/logout")
