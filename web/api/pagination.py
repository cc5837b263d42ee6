"""Pages of a scoped query: items, total and links."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from sqlalchemy import Select

from web.db import get_db
from web.pagination import Page, count


def paginate(query: Select[Any], params: dict[str, Any], order_by: Any) -> dict[str, Any]:
    page, per_page = params["page"], params["per_page"]
    db = get_db()
    at: Page[Any] = Page(page, per_page, count(db, query))
    items = list(db.scalars(query.order_by(order_by).limit(per_page).offset(at.offset)))
    total, last = at.total, at.pages
    # Only the declared, parsed filters go into the links (never raw query arguments).
    args = {k: v for k, v in params.items() if k not in ("page", "per_page") and v is not None}

    def link(number: int) -> str:
        return url_for(request.endpoint or "", page=number, per_page=per_page, **args)

    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "links": {
            "self": link(page),
            "first": link(1),
            "last": link(last),
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < last else None,
        },
    }
