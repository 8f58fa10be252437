"""The office's rules form: typing and field limits; the service checks the rules between fields."""

from decimal import Decimal

from django import forms

from .services import LABELS


class LightSettingsForm(forms.Form):
    behind_yellow_points = forms.DecimalField(label=LABELS["behind_yellow_points"], min_value=Decimal("0.01"),
                                              max_value=Decimal(100), decimal_places=2)
    behind_red_points = forms.DecimalField(label=LABELS["behind_red_points"], min_value=Decimal("0.01"),
                                           max_value=Decimal(100), decimal_places=2)
    missing_yellow_months = forms.IntegerField(label=LABELS["missing_yellow_months"], min_value=1, max_value=12)
    missing_red_months = forms.IntegerField(label=LABELS["missing_red_months"], min_value=1, max_value=12)
    review_wait_days = forms.IntegerField(label=LABELS["review_wait_days"], min_value=1, max_value=365)
    plan_draft_by = forms.DateField(label=LABELS["plan_draft_by"], widget=forms.DateInput(attrs={"type": "date"}))
    plan_confirm_by = forms.DateField(label=LABELS["plan_confirm_by"],
                                      widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    # Read from the campaign's plan phase when there is one (rules.plan_deadlines): not editable here then.
    PLAN_DATES = ("plan_draft_by", "plan_confirm_by")

    def __init__(self, *args, campaign_deadline=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if campaign_deadline is not None:
            for name in self.PLAN_DATES:
                del self.fields[name]
