"""Flask extensions, created unbound; ``create_app`` binds them."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()

# Rate limits: in memory by default, Redis (or another store) when RATELIMIT_STORAGE_URI
# says so; limits themselves sit on the views (login, API).
limiter = Limiter(key_func=get_remote_address)
