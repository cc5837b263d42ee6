"""Migrations go from empty to head and back, and agree with the models."""

import sqlalchemy as sa

from models import Base, migrate
from models.session import make_engine


def test_upgrade_check_downgrade(database_factory):
    url = database_factory.create(reference=False)
    migrate.check(url)  # models and migrations agree (raises otherwise)
    engine = make_engine(url)
    tables = set(sa.inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    engine.dispose()

    migrate.downgrade(url, "base")
    engine = make_engine(url)
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()

    migrate.upgrade(url)
    migrate.check(url)


def test_constraints_are_in_the_database(db, make_opening):
    opening = make_opening()
    db.flush()
    nested = db.begin_nested()
    import pytest
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        db.execute(sa.text("UPDATE job_opening SET seats = 0 WHERE id = :id"), {"id": opening.id})
    nested.rollback()
    nested = db.begin_nested()
    with pytest.raises(IntegrityError):
        db.execute(
            sa.text("UPDATE job_opening SET hours_max = 40 WHERE id = :id"), {"id": opening.id}
        )
    nested.rollback()
    nested = db.begin_nested()
    with pytest.raises(IntegrityError):
        db.execute(
            sa.text("UPDATE job_opening SET status = 'bogus' WHERE id = :id"), {"id": opening.id}
        )
    nested.rollback()


def _index_sql(db, name):
    """The database's own definition of index ``name``."""
    if db.get_bind().dialect.name == "postgresql":
        query = "SELECT indexdef FROM pg_indexes WHERE indexname = :name"
    else:
        query = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"
    return db.execute(sa.text(query), {"name": name}).scalar_one()


def test_one_suggestion_per_youth_and_target_from_partial_indexes(
    db, make_youth, make_opening, make_slot, make_suggestion
):
    import pytest
    from sqlalchemy.exc import IntegrityError

    youth, opening, slot = make_youth(), make_opening(), make_slot()
    make_suggestion(youth, opening)
    make_suggestion(youth, slot)
    for target in (opening, slot):
        nested = db.begin_nested()
        with pytest.raises(IntegrityError):
            make_suggestion(youth, target)
        nested.rollback()
    # Each target index covers the rows of its own kind only (the other column is NULL).
    for column, unique in (
        ("opening_id", "uq_suggestion_youth_opening"),
        ("mentor_slot_id", "uq_suggestion_youth_mentor_slot"),
    ):
        for name in (unique, f"ix_suggestion_{column}"):
            definition = " ".join(_index_sql(db, name).lower().replace("(", " ").split())
            assert f"where {column} is not null" in definition, definition
        assert "unique" in _index_sql(db, unique).lower()
