"""A small but believable demo: three partnerships, companies, mentors, openings, profiles.

Idempotent: if the demo admin exists, nothing is changed. Deterministic (fixed seed), so
screenshots and manual tests see the same data each time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.enums import OpeningKind, OrganisationKind, Role
from models.geo import Postcode
from models.occupation import Occupation
from models.operations.accounts import create_organisation, create_partnership, create_user
from models.operations.mentor_slots import MentorSlotInput, create_mentor_slot
from models.operations.openings import OpeningInput, post_opening
from models.operations.profiles import ProfileInput, create_profile
from models.partnership_info import ContactPerson
from models.user import User
from models.validation import CVR_WEIGHTS

DEMO_PASSWORD = "demo-adgang-2026"  # noqa: S105 - printed for the demo on purpose
ADMIN_EMAIL = "admin@demo.ungeloeftet.dk"
SECRETARIAT_EMAIL = "sekretariat@demo.ungeloeftet.dk"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


CITIES = {
    # municipality code: (partnership name, postcodes, caseworker login)
    101: ("Ungeløftet København", ["2200", "2300", "2400", "2450", "2100", "1620"], "kbh"),
    751: ("Ungeløftet Aarhus", ["8000", "8200", "8210", "8220", "8260"], "aarhus"),
    461: ("Ungeløftet Odense", ["5000", "5200", "5210", "5220", "5230"], "odense"),
}

# (Danish ESCO preferred label, opening title, kind, required skills, nice-to-have skills)
JOBS = [
    (
        "lagerarbejder",
        "Lagermedarbejder til pluk og pak",
        OpeningKind.JOB,
        ["truckcertifikat", "pakning af varer"],
        ["lagerstyring"],
    ),
    (
        "køkkenassistent",
        "Køkkenmedhjælper i kantine",
        OpeningKind.SMALL_JOB,
        ["madlavning", "hygiejne"],
        ["opvask"],
    ),
    (
        "butiksassistent",
        "Butiksassistent i supermarked",
        OpeningKind.JOB,
        ["kundeservice", "kassebetjening"],
        ["varepåfyldning"],
    ),
    (
        "rengøringsassistent",
        "Rengøringsassistent, morgenhold",
        OpeningKind.SMALL_JOB,
        ["rengøring"],
        ["kørekort"],
    ),
    (
        "tømrer",
        "Tømrerlærling",
        OpeningKind.APPRENTICESHIP,
        ["håndværk", "matematik"],
        ["kørekort"],
    ),
    (
        "elektriker",
        "Elektrikerlærling",
        OpeningKind.APPRENTICESHIP,
        ["el-installation", "matematik"],
        [],
    ),
    (
        "kok",
        "Kokkeelev i restaurant",
        OpeningKind.APPRENTICESHIP,
        ["madlavning", "hygiejne"],
        ["engelsk"],
    ),
    (
        "social- og sundhedshjælper",
        "Praktik som social- og sundhedshjælper",
        OpeningKind.INTERNSHIP,
        ["omsorg", "kommunikation"],
        [],
    ),
    ("bager", "Bagermedhjælper, tidlig morgen", OpeningKind.SMALL_JOB, ["bagning", "hygiejne"], []),
    ("bygningsmaler", "Malerlærling", OpeningKind.APPRENTICESHIP, ["maling", "håndværk"], []),
    ("postbud", "Postbud på cykel", OpeningKind.JOB, ["cykling", "orienteringsevne"], []),
    (
        "administrativ assistent",
        "Kontorelev",
        OpeningKind.APPRENTICESHIP,
        ["IT", "kommunikation"],
        ["engelsk"],
    ),
    (
        "anlægsgartner",
        "Anlægsgartner i løntilskud",
        OpeningKind.WAGE_SUBSIDY,
        ["havearbejde"],
        ["kørekort"],
    ),
    ("automekaniker", "Mekanikerlærling", OpeningKind.APPRENTICESHIP, ["motorer", "håndværk"], []),
    ("tjener", "Tjener i café", OpeningKind.SMALL_JOB, ["kundeservice", "servering"], ["engelsk"]),
    ("barista", "Barista, weekend", OpeningKind.SMALL_JOB, ["kaffe", "kundeservice"], []),
    ("kasseassistent", "Kasseassistent", OpeningKind.JOB, ["kassebetjening"], []),
    (
        "kundeserviceassistent",
        "Kundeservice i telefonen",
        OpeningKind.JOB,
        ["kundeservice", "IT"],
        ["engelsk"],
    ),
    ("opvasker", "Opvasker i restaurant", OpeningKind.SMALL_JOB, ["opvask"], []),
    (
        "receptionist",
        "Receptionist i praktik",
        OpeningKind.INTERNSHIP,
        ["kommunikation", "IT"],
        ["engelsk"],
    ),
]

COMPANIES = [
    "Nordlys Logistik ApS",
    "Havnekøkkenet A/S",
    "Super Fjord A/S",
    "Renhold Danmark ApS",
    "Træ & Tag ApS",
    "Strøm & Lys A/S",
    "Bageriet Kornet ApS",
    "Farve-Kompagniet ApS",
    "Grøn Have ApS",
    "Café Solsiden ApS",
]
CIVIL_SOCIETY = ["Mentornetværket Østerbro", "Frivilligcentret Aarhus", "Ung i Odense"]
INTERESTS = [
    "fodbold",
    "gaming",
    "musik",
    "madlavning",
    "natur",
    "dyr",
    "tegning",
    "fitness",
    "biler",
    "mode",
    "film",
    "cykling",
]
SKILLS = [
    "kundeservice",
    "rengøring",
    "madlavning",
    "truckcertifikat",
    "IT",
    "engelsk",
    "håndværk",
    "omsorg",
    "kassebetjening",
    "havearbejde",
    "hygiejne",
    "kommunikation",
]
LANGS = [["da"], ["da"], ["da", "en"], ["da", "ar"], ["da", "so"], ["da", "en", "tr"]]


def demo_cvr(rng: random.Random) -> str:
    """A number that passes the CVR check (not a real company's, checked in no registry)."""
    while True:
        head = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
        check = -sum(d * w for d, w in zip(head, CVR_WEIGHTS, strict=False)) % 11
        if check < 10:
            return "".join(map(str, head)) + str(check)


def load_demo(session: Session, today: date | None = None) -> list[DemoLogin]:
    """Create the demo data once; return one login per role (and one per caseworker)."""
    logins = [
        DemoLogin("admin", ADMIN_EMAIL, DEMO_PASSWORD),
        DemoLogin("caseworker", "sagsbehandler.kbh@demo.ungeloeftet.dk", DEMO_PASSWORD),
        DemoLogin("company", "kontakt@nordlys-logistik.demo.dk", DEMO_PASSWORD),
        DemoLogin("mentor", "mentor1@demo.ungeloeftet.dk", DEMO_PASSWORD),
        DemoLogin("secretariat", SECRETARIAT_EMAIL, DEMO_PASSWORD),
    ]
    if session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is not None:
        return logins
    today = today or utcnow().date()
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    occupations = {
        o.label_da: o
        for o in session.scalars(
            select(Occupation).where(Occupation.label_da.in_([j[0] for j in JOBS]))
        )
    }
    create_user(
        session, email=ADMIN_EMAIL, password=DEMO_PASSWORD, role=Role.ADMIN, name="Sekretariatet"
    )

    create_user(
        session,
        email=SECRETARIAT_EMAIL,
        password=DEMO_PASSWORD,
        role=Role.SECRETARIAT,
        name="Det nationale sekretariat",
    )
    partnerships = {}
    caseworkers: dict[int, User] = {}
    for code, (pname, _postcodes, slug) in CITIES.items():
        partnerships[code] = create_partnership(session, pname, [code])
        session.add(
            ContactPerson(
                partnership_id=partnerships[code].id,
                municipality_code=code,
                name=f"Kontaktperson {slug.title()}",
                title="Ungekoordinator",
                email=f"kontakt.{slug}@demo.ungeloeftet.dk",
                phone="70 10 20 40",
            )
        )
        caseworkers[code] = create_user(
            session,
            email=f"sagsbehandler.{slug}@demo.ungeloeftet.dk",
            password=DEMO_PASSWORD,
            role=Role.CASEWORKER,
            municipality_code=code,
            name=f"Sagsbehandler {slug.title()}",
            phone="70 10 20 30",
        )

    codes = list(CITIES)
    company_users = []
    for i, name in enumerate(COMPANIES):
        code = codes[i % len(codes)]
        postcode = rng.choice(CITIES[code][1])
        org = create_organisation(
            session,
            kind=OrganisationKind.COMPANY,
            name=name,
            cvr=demo_cvr(rng),
            postcode=postcode,
            partnerships=[partnerships[code]],
        )
        slug = name.split()[0].lower().replace("&", "og").replace("æ", "ae").replace("ø", "oe")
        email = "kontakt@nordlys-logistik.demo.dk" if i == 0 else f"kontakt{i}@{slug}.demo.dk"
        company_users.append(
            (
                create_user(
                    session,
                    email=email,
                    password=DEMO_PASSWORD,
                    role=Role.COMPANY,
                    organisation=org,
                    name=f"Kontakt {name}",
                ),
                code,
            )
        )

    for i in range(40):
        user, code = company_users[i % len(company_users)]
        label, title, kind, required, nice = JOBS[i % len(JOBS)]
        occupation = occupations.get(label)
        post_opening(
            session,
            user,
            OpeningInput(
                title=title,
                description=f"{title}. Vi tager godt imod nye kolleger og har tid til oplæring.",
                occupation_uri=occupation.uri if occupation else None,
                kind=kind,
                required_skills=list(required),
                nice_skills=list(nice),
                postcode=rng.choice(CITIES[code][1]),
                hours_min=rng.choice([10, 15, 20, 30, 37]),
                hours_max=37,
                seats=rng.choice([1, 1, 1, 2, 3]),
                min_age=18 if kind is OpeningKind.JOB and i % 3 == 0 else 15,
                driving_licence_required=i % 13 == 0,
                mentor_at_workplace=i % 2 == 0,
                start_date=today + timedelta(days=rng.randint(0, 45)),
                expires=today + timedelta(days=rng.randint(60, 120)),
            ),
        )

    mentors = []
    for i, name in enumerate(CIVIL_SOCIETY):
        code = codes[i]
        org = create_organisation(
            session,
            kind=OrganisationKind.CIVIL_SOCIETY,
            name=name,
            postcode=CITIES[code][1][0],
            partnerships=[partnerships[code]],
        )
        for _ in range(2 if i else 4):
            n = len(mentors) + 1
            mentors.append(
                (
                    create_user(
                        session,
                        email=f"mentor{n}@demo.ungeloeftet.dk",
                        password=DEMO_PASSWORD,
                        role=Role.MENTOR,
                        organisation=org,
                        name=f"Mentor {n}",
                        phone="30 40 50 60",
                    ),
                    code,
                )
            )
    for i in range(10):
        mentor, code = mentors[i % len(mentors)]
        create_mentor_slot(
            session,
            mentor,
            MentorSlotInput(
                title=rng.choice(["Frivillig mentor", "Jobmentor", "Mentor – kom i gang"]),
                description="Vi mødes en gang om ugen og taler om job, hverdag og mål.",
                interests=rng.sample(INTERESTS, 3),
                languages=rng.choice(LANGS),
                postcode=rng.choice(CITIES[code][1]),
                max_distance_km=rng.choice([10, 15, 25]),
                capacity=rng.choice([1, 2, 3]),
                available_from=today,
                available_until=today + timedelta(days=365),
            ),
        )

    valid_postcodes = set(session.scalars(select(Postcode.code)))
    for i in range(50):
        code = codes[i % len(codes)]
        wished = rng.sample(JOBS, 2)
        create_profile(
            session,
            caseworkers[code],
            ProfileInput(
                birth_year=today.year - rng.randint(16, 29),
                postcode=next(p for p in rng.sample(CITIES[code][1], 3) if p in valid_postcodes),
                max_commute_km=rng.choice([5, 10, 15, 20, 30]),
                education_level=rng.choice(["primary", "primary", "upper_secondary", "vocational"]),
                skills=rng.sample(SKILLS, rng.randint(1, 4)),
                interests=rng.sample(INTERESTS, rng.randint(1, 3)),
                wished_occupations=[w[0] for w in wished],
                # Every fifth young person has done the first wish before and prefers some kinds.
                former_jobs=[wished[0][0]] if i % 5 == 0 else [],
                preferred_kinds=["job", "small_job"] if i % 5 == 0 else [],
                hours_min=rng.choice([5, 10, 15, 20]),
                hours_max=rng.choice([25, 30, 37]),
                languages=rng.choice(LANGS),
                driving_licence=rng.random() < 0.25,
                needs_mentor=rng.random() < 0.4,
                available_from=today + timedelta(days=rng.randint(-30, 20)),
            ),
        )
    session.flush()
    return logins
