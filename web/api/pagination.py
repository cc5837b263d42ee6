"""Pages of a scoped query: items, total and links."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from sqlalchemy import Select, func, select

from web.db import get_db


def paginate(query: Select[Any], params: dict[str, Any], order_by: Any) -> dict[str, Any]:
    page, per_page = params["page"], params["per_page"]
    db = get_db()
    total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = list(db.scalars(query.order_by(order_by).limit(per_page).offset((page - 1) * per_page)))
    last = max(1, -(-total // per_page))
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
