"""Fixtures of the privacy tests: the API helpers are shared with tests/api, the real SMTP
server with tests/jobs."""

from tests.api.conftest import api, token_for  # noqa: F401
from tests.jobs.conftest import smtp_server  # noqa: F401
from tests.web_partner.conftest import approved  # noqa: F401
