"""Security headers on every response.

The Content-Security-Policy allows no inline script or style: templates use files under
/static only (a test checks the templates). HSTS is sent in production mode only, where the
service runs behind HTTPS.
"""

from __future__ import annotations

from flask import Flask, Response, request, session

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000; includeSubDomains"


def init_security_headers(app: Flask) -> None:
    production = app.config.get("ENV_MODE") == "production"

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if production:
            headers.setdefault("Strict-Transport-Security", HSTS)
        if "Cache-Control" not in headers and (
            "Authorization" in request.headers or "_user_id" in session
        ):
            # A personal page or answer: no shared cache, and no copy after logging out.
            headers["Cache-Control"] = "no-store"
        if response.status_code == 405 and "Allow" not in headers:
            _add_allow(app, response)
        return response


def _add_allow(app: Flask, response: Response) -> None:
    """RFC 9110: a 405 names the methods the resource supports (error pages drop Werkzeug's)."""
    adapter = app.url_map.bind_to_environ(request.environ)
    methods = adapter.allowed_methods(request.path)
    if methods:
        response.headers["Allow"] = ", ".join(sorted(methods))
