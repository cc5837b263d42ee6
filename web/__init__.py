"""The Flask application: ``create_app`` is a list of small named steps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from models.clock import configure as configure_clock
from models.i18n import N_
from web.config import Config, TestConfig, check_production


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(Path(Config.INSTANCE_DIR).resolve()))
    app.config.from_object(TestConfig if test_config and test_config.get("TESTING") else Config)
    if test_config:
        app.config.update(test_config)
    check_production(app.config)
    register_converters(app)
    configure_clock(app.config.get("TIMEZONE"))
    register_extensions(app)
    register_after_save()
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_converters(app: Flask) -> None:
    from web.converters import register

    register(app.url_map)


def register_extensions(app: Flask) -> None:
    from web.db import init_db
    from web.extensions import babel, csrf, limiter, login_manager
    from web.headers import init_security_headers
    from web.i18n import init_form_translations, localize_login_message, select_locale
    from web.ratelimit import init_rate_limits
    from web.session_auth import load_user

    init_db(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=";".join(translation_directories()),
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = LOGIN_MESSAGE
    login_manager.localize_callback = localize_login_message
    login_manager.user_loader(load_user)
    limiter.init_app(app)
    init_rate_limits(app)
    init_form_translations(app)
    init_security_headers(app)


# Flask-Login's own text, marked here so the catalogue has it (the message is flashed through
# ``localize_login_message``).
LOGIN_MESSAGE = N_("Please log in to access this page.")


def register_after_save() -> None:
    """Instant suggestions after every save (models.operations.after_save)."""
    from jobs.after_save import register

    register()


def translation_directories() -> list[str]:
    """The shared catalogue and one per blueprint (so areas can be translated separately)."""
    root = Path(__file__).parent
    dirs = [root / "translations"] + sorted(root.glob("*/translations"))
    return [str(d) for d in dirs if d.is_dir()]


def register_blueprints(app: Flask) -> None:
    from web.admin import bp as admin_bp
    from web.auth import bp as auth_bp
    from web.caseworker import bp as caseworker_bp
    from web.company import bp as company_bp
    from web.guide import bp as guide_bp
    from web.mentor import bp as mentor_bp
    from web.privacy import bp as privacy_bp
    from web.public import bp as public_bp
    from web.sso import bp as sso_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(guide_bp)
    app.register_blueprint(sso_bp)
    app.register_blueprint(company_bp, url_prefix="/company")
    app.register_blueprint(caseworker_bp, url_prefix="/caseworker")
    app.register_blueprint(mentor_bp, url_prefix="/mentor")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    register_partnership_blueprints(app)
    app.register_blueprint(privacy_bp)
    register_api_blueprints(app)


def register_partnership_blueprints(app: Flask) -> None:
    from web.figures import bp as figures_bp
    from web.partnership import bp as partnership_bp
    from web.partnership import invitation_bp
    from web.secretariat import bp as secretariat_bp

    app.register_blueprint(figures_bp, url_prefix="/figures")
    app.register_blueprint(partnership_bp, url_prefix="/partnership")
    app.register_blueprint(invitation_bp)
    app.register_blueprint(secretariat_bp, url_prefix="/secretariat")


def register_api_blueprints(app: Flask) -> None:
    from web.account import bp as account_bp
    from web.api import bp as api_bp

    app.register_blueprint(account_bp, url_prefix="/account")
    app.register_blueprint(api_bp, url_prefix="/api/v1")

    from web.occupations import bp as occupations_bp

    app.register_blueprint(occupations_bp)


def register_errorhandlers(app: Flask) -> None:
    from web.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from web.templating import register

    register(app)


def register_commands(app: Flask) -> None:
    from web.cli import register

    register(app)
