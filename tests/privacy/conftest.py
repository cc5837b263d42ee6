"""Fixtures of the privacy tests: the API helpers are shared with tests/api."""

from tests.api.conftest import api, token_for  # noqa: F401
from tests.web_partner.conftest import approved  # noqa: F401
