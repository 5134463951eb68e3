from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..domain.incidents import TEXT_MAX
from ..domain.measures import OWNER_MAX
from ..forms import InRegisterYears, LocalDateTimeField
from ..incidents.fields import LABELS

REASON_MAX = 1000


class MeasureEditForm(FlaskForm):
    description = TextAreaField(
        LABELS["description"], validators=[DataRequired(), Length(max=TEXT_MAX)]
    )
    owner = StringField(LABELS["owner"], validators=[Length(max=OWNER_MAX)])
    due_on = DateField(LABELS["due_on"], validators=[Optional(), InRegisterYears()])


class MeasureDoneForm(FlaskForm):
    done_at = LocalDateTimeField(_l("Done on"), required=True)


class MeasureCancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for cancelling"), validators=[DataRequired(), Length(max=REASON_MAX)]
    )
