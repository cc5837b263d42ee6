"""Forms of the review and data-rights pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class JustificationForm(FlaskForm):
    justification = TextAreaField(
        _l("Why the wording is lawful (recorded in the audit log)"),
        validators=[DataRequired(_l("Write a justification.")), Length(max=2000)],
    )


class KeepUnpublishedForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (the author sees it)"),
        validators=[DataRequired(_l("Give the author a reason.")), Length(max=2000)],
    )


class SettleReportForm(FlaskForm):
    note = TextAreaField(
        _l("Note on the decision"),
        validators=[DataRequired(_l("Write a short note.")), Length(max=2000)],
    )


class ReportForm(FlaskForm):
    reason = TextAreaField(
        _l("What is wrong with the ad?"),
        validators=[DataRequired(_l("Say what is wrong with the ad.")), Length(max=2000)],
    )


class EraseForm(FlaskForm):
    confirm = StringField(
        _l("Type the pseudonym to confirm"),
        validators=[DataRequired(_l("Type the pseudonym.")), Length(max=16)],
    )
