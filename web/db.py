"""One database session per request; the view commits once, teardown cleans up.

A connection that dies under a request (PostgreSQL restarted, ``pg_terminate_backend``, a
network cut) does not answer 500: idle pooled connections are tested before use
(``pool_pre_ping``, models/session.py); a read (GET, HEAD, OPTIONS) whose connection dies
mid-request is run once more on a fresh one; any other request answers 503 with
``Retry-After`` (its transaction died with the connection: nothing of it is stored).
"""

from __future__ import annotations

import contextlib

from flask import Flask, current_app, g, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from models.session import make_engine, make_session_factory

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def init_db(app: Flask) -> None:
    factory = app.config.get("DB_SESSION_FACTORY")
    if factory is None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["db_engine"] = engine
        factory = make_session_factory(engine)
    app.extensions["db_session_factory"] = factory
    app.teardown_appcontext(_close_session)
    _survive_dropped_connections(app)


def get_db() -> Session:
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_session_factory"]()
    session: Session = g.db_session
    return session


def _close_session(exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is None:
        return
    try:
        if exc is not None or session.in_transaction():
            # Whatever the view did not commit is not kept. The loaded objects are let go
            # first: the session ends here, so the rollback need not expire each of them (a
            # review-queue page holds a hundred; expiring them cost 0.5 ms a request).
            session.expunge_all()
            session.rollback()
    except DBAPIError as error:
        # The connection died after the answer was made: its transaction died with it.
        if not is_disconnect(error):
            raise
    finally:
        with contextlib.suppress(DBAPIError):
            session.close()


def is_disconnect(error: BaseException) -> bool:
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def _forget_session() -> None:
    """Drop the request's session (its connection is dead) and the user loaded through it."""
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        with contextlib.suppress(Exception):
            session.close()
    g.pop("_login_user", None)  # Flask-Login loads the user again, on the new session


def _survive_dropped_connections(app: Flask) -> None:
    handle = app.handle_user_exception

    def handle_user_exception(error: Exception) -> HTTPException | ResponseReturnValue:
        if not is_disconnect(error):
            return handle(error)
        _forget_session()
        if request.method in SAFE_METHODS and not g.get("db_read_retried"):
            g.db_read_retried = True
            try:
                response = app.preprocess_request()
                if response is None:
                    response = app.dispatch_request()
                return response
            except Exception as again:  # noqa: BLE001 - handled like the first one
                return handle_user_exception(again)
        response = app.make_response(handle(ServiceUnavailable()))
        response.headers["Retry-After"] = "1"
        return response

    # Patches this app's bound method; mypy compares the plain function with the method's
    # unbound signature (with ``self``), so the assignment needs both codes.
    app.handle_user_exception = handle_user_exception  # type: ignore[method-assign,assignment]
