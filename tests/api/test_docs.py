"""The API documentation page: generated from the OpenAPI document, an example per operation."""

from __future__ import annotations

import json
import re
from html import unescape

from models.enums import Role


def test_every_operation_is_documented_with_an_example(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    # Served by the app itself: no script or style from elsewhere (the CSP would refuse it).
    assert re.findall(r'<script[^>]*src="([^"]+)"', html) == ["/static/js/forms.js"]
    assert all(
        href.startswith("/static/") for href in re.findall(r'<link[^>]*href="([^"]+)"', html)
    )
    operations = [
        (path, method, op)
        for path, methods in spec["paths"].items()
        for method, op in methods.items()
    ]
    assert len(operations) > 10
    for path, method, op in operations:
        anchor = op["operationId"].replace(".", "-")
        start = html.index(f'id="{anchor}"')
        section = html[start : html.index("</article>", start)]
        assert f"<code>{path}</code>" in section and method.upper() in section
        curl = unescape(re.search(r"<code>(curl.*?)</code>", section, re.S).group(1))
        assert curl.endswith(re.sub(r"\{\w+\}", "42", path))
        if "requestBody" in op:
            body = re.search(r"-d '(.*?)'", curl).group(1)
            assert isinstance(json.loads(body), dict)


def test_example_bodies_are_accepted_by_the_api(app, client, login_as, make_user):
    """The example to create an opening is valid input: the API creates the opening."""
    login_as(make_user(Role.COMPANY))
    html = client.get("/api/v1/docs").get_data(as_text=True)
    start = html.index('id="create_opening"')
    section = unescape(html[start : html.index("</article>", start)])
    body = json.loads(re.search(r"-d '(.*?)'", section).group(1))
    body.pop("occupation_uri", None)  # the example URI is not in the reference data
    created = client.post("/api/v1/openings", json=body)
    assert created.status_code == 201, created.get_json()


def test_the_token_page_links_the_documentation(client, login_as, make_user):
    login_as(make_user(Role.COMPANY))
    assert 'href="/api/v1/docs"' in client.get("/account/tokens").get_data(as_text=True)


def test_the_operations_read_in_danish(app, client):
    """The page shows each operation's summary and description in the reader's language."""
    from web.api.spec import build_spec
    from web.catalogs import translated_ids

    with app.app_context():
        spec = build_spec()
    texts = {
        op[key]
        for methods in spec["paths"].values()
        for op in methods.values()
        for key in ("summary", "description")
        if op.get(key)
    }
    missing = sorted(texts - translated_ids("da"))
    assert not missing, f"add these to a Danish catalogue: {missing}"
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "Opret et opslag" in html and "Create an opening" not in html
