"""API operations: one decorator declares the route, its roles, input and output.

The same declaration builds the OpenAPI description (web/api/spec.py), so the document
cannot drift from the code: what is declared is what the view parses and returns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import Response, abort, jsonify, request
from flask_login import current_user
from marshmallow import EXCLUDE, Schema
from marshmallow import ValidationError as SchemaError

from models.enums import Role
from web.api import bp
from web.api.fields import flatten_errors
from web.api.problems import validation_problem


@dataclass
class Operation:
    rule: str
    method: str
    endpoint: str
    summary: str
    tag: str
    roles: tuple[Role, ...]
    query: type[Schema] | None = None
    body: type[Schema] | None = None
    response: type[Schema] | None = None
    status: int = 200
    public: bool = False
    description: str = ""
    path_params: list[str] = field(default_factory=list)


OPERATIONS: list[Operation] = []


def operation(
    rule: str,
    method: str,
    *,
    summary: str,
    tag: str,
    roles: tuple[Role, ...] = tuple(Role),
    query: type[Schema] | None = None,
    body: type[Schema] | None = None,
    response: type[Schema] | None = None,
    status: int = 200,
    public: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Response]:
        op = Operation(
            rule=rule,
            method=method,
            endpoint=view.__name__,
            summary=summary,
            tag=tag,
            roles=roles,
            query=query,
            body=body,
            response=response,
            status=status,
            public=public,
            description=(view.__doc__ or "").strip(),
            path_params=re.findall(r"<int:(\w+)>", rule),
        )
        OPERATIONS.append(op)

        @wraps(view)
        def wrapped(**path: int) -> Response:
            if not public:
                if not current_user.is_authenticated:
                    abort(401)
                if current_user.role not in roles:
                    abort(403)
            kwargs: dict[str, Any] = dict(path)
            try:
                if query is not None:
                    kwargs["query"] = query(unknown=EXCLUDE).load(request.args.to_dict())
                if body is not None:
                    data = request.get_json(silent=True)
                    if not request.is_json:
                        abort(415)
                    if not isinstance(data, dict):
                        return validation_problem({"body": _body_message()})
                    kwargs["body"] = body().load(data)
                result = view(**kwargs)
            except SchemaError as err:
                return validation_problem(_translated(flatten_errors(err.messages)))
            # A DomainError from the view is the app's error handler's (web/errors.py).
            if isinstance(result, Response):
                return result
            payload = response().dump(result) if response is not None else result
            out = jsonify(payload)
            out.status_code = status
            return out

        bp.add_url_rule(rule, endpoint=view.__name__, view_func=wrapped, methods=[method])
        return wrapped

    return decorator


def _body_message() -> str:
    from flask_babel import gettext as _

    return _("Send a JSON object.")


def _translated(errors: dict[str, str]) -> dict[str, str]:
    """Marshmallow's few built-in English messages, in the user's language."""
    from flask_babel import gettext as _

    known = {
        "Missing data for required field.": _("This field is required."),
        "Field may not be null.": _("This field cannot be empty."),
        "Unknown field.": _("This field is not known."),
        "Invalid input type.": _("Send a JSON object."),
        "Not a valid list.": _("Give a list of texts."),
        "Not a valid string.": _("Give text."),
        "Not a valid integer.": _("Give a whole number."),
        "Not a valid boolean.": _("Give true or false."),
    }
    return {name: known.get(message, message) for name, message in errors.items()}
