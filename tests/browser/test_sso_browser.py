"""Single sign-on in a real browser: the login page's button, the provider, back, and the
logout that also ends the session at the provider (past the CSP's form-action)."""

from __future__ import annotations

from sqlalchemy import delete, select

from models.support import IdentityProvider
from models.user import User
from tests.oidc_provider import (
    APP_CLIENT_ID,
    APP_CLIENT_SECRET,
    OidcProvider,
    identity_provider,
)


def test_staff_sign_in_and_out_with_their_organisation(page, live_server, check_axe):
    provider = OidcProvider().start()
    provider.add_client(APP_CLIENT_ID, APP_CLIENT_SECRET, live_server.url + "/login/sso/callback")
    with live_server.session() as session:
        caseworker = session.scalars(
            select(User).where(User.email == live_server.data.caseworker)
        ).one()
        idp = identity_provider(
            session,
            provider,
            "Browser SSO partnership",
            [caseworker.municipality_code],
            "Browserkommune",
        )
        session.commit()
        idp_id, partnership_id = idp.id, idp.partnership_id
    try:
        provider.next_user = {"sub": "cw-1", "email": live_server.data.caseworker}
        page.goto("/login")
        check_axe(page)
        page.click("text=Log ind med Browserkommune")
        page.wait_for_url("**/caseworker/**")
        assert "/caseworker/" in page.url
        page.click("header button:has-text('Log ud')")
        page.wait_for_url("**/login")
        assert provider.logouts and provider.logouts[-1]["client_id"] == "ungeloeftet"
        assert "Du er logget ud" in page.inner_text("main")

        provider.next_user = {"sub": "x-1", "email": "ukendt@kommune.dk"}
        page.click("text=Log ind med Browserkommune")
        page.wait_for_url("**/login")
        assert "ingen konto her for ukendt@kommune.dk" in page.inner_text("main")
        check_axe(page)
    finally:
        with live_server.session() as session:
            session.execute(delete(IdentityProvider).where(IdentityProvider.id == idp_id))
            from models.organisation import Partnership

            session.execute(delete(Partnership).where(Partnership.id == partnership_id))
            session.commit()
        provider.stop()
