"""One database session per request; the view commits once, teardown cleans up."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from models.session import make_engine, make_session_factory


def init_db(app: Flask) -> None:
    factory = app.config.get("DB_SESSION_FACTORY")
    if factory is None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["db_engine"] = engine
        factory = make_session_factory(engine)
    app.extensions["db_session_factory"] = factory
    app.teardown_appcontext(_close_session)


def get_db() -> Session:
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_session_factory"]()
    session: Session = g.db_session
    return session


def _close_session(exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is None:
        return
    if exc is not None or session.in_transaction():
        # Whatever the view did not commit is not kept.
        session.rollback()
    session.close()
