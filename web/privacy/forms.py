"""Forms of the review and data-rights pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from web.limits import written_reason


class JustificationForm(FlaskForm):
    justification = written_reason(
        _l("Why the wording is lawful (recorded in the audit log)"), _l("Write a justification.")
    )


class KeepUnpublishedForm(FlaskForm):
    reason = written_reason(_l("Reason (the author sees it)"), _l("Give the author a reason."))


class SettleReportForm(FlaskForm):
    note = written_reason(_l("Note on the decision"), _l("Write a short note."))


class ReportForm(FlaskForm):
    reason = written_reason(_l("What is wrong with the ad?"), _l("Say what is wrong with the ad."))


class EraseForm(FlaskForm):
    confirm = StringField(
        _l("Type the pseudonym to confirm"),
        validators=[DataRequired(_l("Type the pseudonym.")), Length(max=16)],
    )
