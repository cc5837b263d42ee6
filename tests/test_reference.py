"""The shipped reference data is loaded completely and consistently."""

from sqlalchemy import func, select

from models.geo import Municipality, Postcode
from models.occupation import IscoGroup, Occupation
from models.reference_load import load_reference_data


def test_counts(db):
    assert db.scalar(select(func.count()).select_from(Municipality)) == 98
    assert db.scalar(select(func.count()).select_from(Postcode)) == 1090
    assert db.scalar(select(func.count()).select_from(IscoGroup)) == 619
    assert db.scalar(select(func.count()).select_from(Occupation)) == 3039


def test_every_postcode_is_mapped_to_a_municipality(db):
    unmapped = db.scalar(
        select(func.count())
        .select_from(Postcode)
        .outerjoin(Municipality, Postcode.municipality_code == Municipality.code)
        .where(Municipality.code.is_(None))
    )
    assert unmapped == 0
    assert db.get(Postcode, "8000").municipality.name == "Aarhus"
    assert db.get(Postcode, "5000").municipality.name == "Odense"


def test_every_occupation_has_a_danish_label(db):
    missing = db.scalar(
        select(func.count())
        .select_from(Occupation)
        .where((Occupation.label_da.is_(None)) | (Occupation.label_da == ""))
    )
    assert missing == 0
    # 2,937 carry ESCO's own Danish label; the 102 newer ones show the English one.
    assert (
        db.scalar(
            select(func.count())
            .select_from(Occupation)
            .where(Occupation.label_da_is_esco.is_(True))
        )
        == 2937
    )
    assert (
        db.scalar(
            select(Occupation.label_da).where(
                Occupation.uri.like("%bea705fe-06ac-4147-b8e0-6e8ac1208d8f")
            )
        )
        == "lagerarbejder"
    )


def test_loading_twice_changes_nothing(db):
    assert load_reference_data(db) == {
        "municipalities": 0,
        "postcodes": 0,
        "isco_groups": 0,
        "occupations": 0,
    }
