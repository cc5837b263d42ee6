"""Fixtures for the company, mentor and admin pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from models.enums import Role, SuggestionStatus
from models.suggestion import Suggestion
from models.user import User


@pytest.fixture()
def approved(
    db: Session, make_suggestion: Callable[..., Suggestion], make_user: Callable[..., User]
) -> Callable[..., Suggestion]:
    """A suggestion a caseworker approved, with a pitch (what partners get to see)."""

    def make(
        youth: Any, target: Any, pitch: str = "Mødestabil og glad for fysisk arbejde.", **kw: Any
    ) -> Suggestion:
        caseworker = youth.caseworker
        kw.setdefault("status", SuggestionStatus.APPROVED)
        return make_suggestion(
            youth,
            target,
            pitch=pitch,
            decided_by_id=caseworker.id if caseworker else None,
            **kw,
        )

    return make


@pytest.fixture()
def company_user(make_user: Callable[..., User], login_as: Callable[[User], User]) -> User:
    return login_as(make_user(Role.COMPANY, name="Karen Kontakt"))


@pytest.fixture()
def mentor_user(make_user: Callable[..., User], login_as: Callable[[User], User]) -> User:
    return login_as(make_user(Role.MENTOR, name="Mads Mentor"))


@pytest.fixture()
def admin_user(make_user: Callable[..., User], login_as: Callable[[User], User]) -> User:
    return login_as(make_user(Role.ADMIN, name="Sekretariatet"))
