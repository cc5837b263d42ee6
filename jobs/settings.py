"""What the jobs need from the configuration, passed explicitly (jobs never import Flask)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from models.clock import DEFAULT_TIMEZONE
from models.clock import configure as configure_clock


@dataclass(frozen=True)
class JobSettings:
    base_url: str = "http://127.0.0.1:5000"
    smtp_url: str = ""  # empty: mails are written as .eml files under mail_dir
    mail_from: str = "Ungeløftet Match <noreply@ungeloeftet.local>"
    mail_dir: str = "instance/mail"
    outbox_max_attempts: int = 8
    outbox_batch: int = 200
    smtp_timeout: float = 20.0
    retention_days: int = 365
    reconfirm_days: int = 90
    audit_retention_days: int = 365
    nightly_at: str = "01:30"
    timezone: str = DEFAULT_TIMEZONE
    digest_best: int = 5

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> JobSettings:
        """From a Flask ``app.config`` (or any mapping with the same upper-case keys)."""
        values = {}
        for f in fields(cls):
            key = f.name.upper()
            if key in config and config[key] is not None:
                values[f.name] = type(f.default)(config[key])
        settings = cls(**values)
        configure_clock(settings.timezone)
        # Decisions must be kept at least six months (docs/ARCHITECTURE.md, "Privacy").
        if settings.audit_retention_days < 183:
            raise ValueError("AUDIT_RETENTION_DAYS must be at least 183")
        return settings
