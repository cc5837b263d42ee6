"""An app factory for tests that need other settings than the shared ``app`` fixture."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session


@pytest.fixture()
def make_app(connection: sa.Connection, database_url: str, tmp_path: Any) -> Callable[..., Flask]:
    from web import create_app

    def make(**overrides: Any) -> Flask:
        config = {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "DB_SESSION_FACTORY": lambda: Session(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            ),
            "WTF_CSRF_ENABLED": False,
            "MAIL_DIR": str(tmp_path / "mail"),
            "INSTANCE_DIR": str(tmp_path),
        }
        config.update(overrides)
        return create_app(config)

    return make
