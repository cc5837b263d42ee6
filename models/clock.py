"""The one clock: instants are UTC (:func:`models.base.utcnow`); calendar days are local.

The local time zone is the configured ``TIMEZONE`` (default Europe/Copenhagen). The web app
(:func:`web.create_app`) and the job settings (:meth:`jobs.settings.JobSettings.from_config`)
call :func:`configure` at start; everything that needs "which day is it here" asks
:func:`local_date` (expiry, ages, which night a run is for). See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Europe/Copenhagen"
_zone = ZoneInfo(DEFAULT_TIMEZONE)


def configure(timezone: str | None) -> None:
    """Set the process's local time zone (an IANA name); ``None`` or empty keeps the default."""
    global _zone
    _zone = ZoneInfo(timezone or DEFAULT_TIMEZONE)


def local_zone() -> ZoneInfo:
    return _zone


def local_now() -> datetime:
    """Now, in the local time zone (for timestamps written by bulk SQL)."""
    return datetime.now(UTC).astimezone(_zone)


def local_date(now: datetime) -> date:
    """The calendar day in the local time zone (expiry, ages, which night a run is for)."""
    return now.astimezone(_zone).date()
