"""The caseworker's "to do" list on the start page, derived from the state of things.

- Companies that answered "interested": call them (their contact is shown) and agree on
  the next step; the task goes when an outcome is recorded.
- Placed young people whose follow-up is due (IPS): record how it is going.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session, joinedload

from models.enums import ProfileStatus, SuggestionStatus
from models.opening import JobOpening
from models.scoping import profiles_for, suggestions_for
from models.suggestion import Suggestion
from models.user import User
from models.youth import YouthProfile


@dataclass
class TodoList:
    interested: list[Suggestion] = field(default_factory=list)
    follow_ups: list[YouthProfile] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.interested or self.follow_ups)


def todo_for(session: Session, user: User, today: date, limit: int = 20) -> TodoList:
    interested = list(
        session.scalars(
            suggestions_for(user)
            .where(Suggestion.status == SuggestionStatus.INTERESTED)
            .options(
                joinedload(Suggestion.opening).joinedload(JobOpening.organisation),
                joinedload(Suggestion.responded_by),
            )
            .order_by(Suggestion.responded_at.asc(), Suggestion.id.asc())
            .limit(limit)
        )
    )
    follow_ups = list(
        session.scalars(
            profiles_for(user)
            .where(
                YouthProfile.status == ProfileStatus.PLACED,
                YouthProfile.follow_up_on <= today,
            )
            .order_by(YouthProfile.follow_up_on.asc(), YouthProfile.id.asc())
            .limit(limit)
        )
    )
    return TodoList(interested=interested, follow_ups=follow_ups)
