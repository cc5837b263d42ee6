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
