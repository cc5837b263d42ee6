"""Configuration from environment variables with safe defaults.

``UNGELOEFTET_ENV=production`` makes the app refuse to start with the development secret
key or without an explicit ``DATABASE_URL``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from models.clock import DEFAULT_TIMEZONE

DEV_SECRET_KEY = "dev-only-secret-do-not-use-in-production"  # noqa: S105 - refused in production
_INSTANCE = Path(os.environ.get("UNGELOEFTET_INSTANCE", Path.cwd() / "instance")).resolve()


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Config:
    ENV_MODE = os.environ.get("UNGELOEFTET_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{_INSTANCE / 'ungeloeftet.db'}")
    INSTANCE_DIR = str(_INSTANCE)
    # Empty: mails are written as .eml files under instance/mail (the embedded default).
    SMTP_URL = os.environ.get("SMTP_URL", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Ungeløftet Match <noreply@ungeloeftet.local>")
    MAIL_DIR = os.environ.get("MAIL_DIR", str(_INSTANCE / "mail"))
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", 8)
    RETENTION_DAYS = _int("RETENTION_DAYS", 365)
    RECONFIRM_DAYS = _int("RECONFIRM_DAYS", 90)
    RAPID_SEARCH_DAYS = _int("RAPID_SEARCH_DAYS", 30)
    AUDIT_RETENTION_DAYS = max(_int("AUDIT_RETENTION_DAYS", 365), 183)
    NIGHTLY_AT = os.environ.get("NIGHTLY_AT", "01:30")
    TIMEZONE = os.environ.get("TIMEZONE", DEFAULT_TIMEZONE)  # models/clock.py
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Only for load tests on loopback (bench/web_bench.py); never switch off in production.
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
    # Per account (the e-mail typed), from any address; and per address, over all accounts
    # (wider: a municipality's office shares one public address). web/ratelimit.py
    LOGIN_RATELIMIT = os.environ.get("LOGIN_RATELIMIT", "10 per minute;50 per hour")
    LOGIN_ADDRESS_RATELIMIT = os.environ.get(
        "LOGIN_ADDRESS_RATELIMIT", "60 per minute;600 per hour"
    )
    # Behind a reverse proxy: how many proxies in front set X-Forwarded-For / -Proto
    # (Werkzeug's ProxyFix). 0 = no proxy: the headers are ignored (README, "Behind a proxy").
    PROXY_FIX_X_FOR = _int("PROXY_FIX_X_FOR", 0)
    PROXY_FIX_X_PROTO = _int("PROXY_FIX_X_PROTO", 0)
    API_RATELIMIT = os.environ.get("API_RATELIMIT", "300 per minute")

    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = TIMEZONE
    LANGUAGES = ("da", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = ENV_MODE == "production"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the session lifetime bounds it
    PER_PAGE = 25


class TestConfig(Config):
    TESTING = True
    ENV_MODE = "test"
    SECRET_KEY = "test-secret"  # noqa: S105
    SESSION_COOKIE_SECURE = False
    RATELIMIT_ENABLED = False


class ConfigError(RuntimeError):
    pass


def check_production(config: dict[str, Any]) -> None:
    """Refuse to start in production with development defaults; cookies only over HTTPS."""
    if config.get("ENV_MODE") != "production":
        return
    config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = True
    if not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise ConfigError("SECRET_KEY must be set to a real secret in production")
    if len(config["SECRET_KEY"]) < 32:
        raise ConfigError("SECRET_KEY must have at least 32 characters in production")
    if "DATABASE_URL" not in os.environ and not config.get("DATABASE_URL_EXPLICIT"):
        raise ConfigError("DATABASE_URL must be set in production")
