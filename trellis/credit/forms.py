"""HTML forms for the credit pages. They shape input; the services decide what is valid and say
why, so the API and the pages refuse the same things with the same messages."""

from __future__ import annotations

from typing import Any

from django import forms

from trellis.credit.queries.manage import STATUS_FILTERS
from trellis.credit.rules import RULE_SETS, Category, Unit
from trellis.credit.rules.model import CATEGORY_LABELS, UNIT_NAMES
from trellis.credit.rules.wording import number
from trellis.districts.models import School

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def rule_set_choices() -> list[tuple[str, str]]:
    choices = []
    for key, rule_set in sorted(RULE_SETS.items()):
        cycle = f"{rule_set.cycle_years} years" if rule_set.cycle_years else "licence dates"
        required = f"{number(rule_set.required)} {UNIT_NAMES[rule_set.unit][1]}"
        choices.append(
            (key, f"{rule_set.jurisdiction_name}, {rule_set.role_label} ({required}, {cycle})")
        )
    return choices


def jurisdiction_choices(state_code: str) -> list[tuple[str, str]]:
    names = {r.jurisdiction: r.jurisdiction_name for r in RULE_SETS.values()}
    return [
        ("", f"The district's state ({state_code or 'not set'})"),
        *sorted((code, f"{name} ({code})") for code, name in names.items()),
    ]


class CreditSettingsForm(forms.Form):
    jurisdiction = forms.ChoiceField(
        label="Renewal rules",
        required=False,
        help_text="Whose renewal rules apply to educators without a licence on record.",
    )
    default_cycle_start = forms.DateField(
        label="Default cycle start",
        required=False,
        widget=DATE,
        help_text="For educators without a licence: cycles run the rule set's years from this "
        "date, repeated up to today. Empty: from 1 July of the current school year.",
    )
    hours_per_salary_credit = forms.CharField(
        label="Clock hours per salary-lane credit",
        max_length=20,
        help_text="e.g. 15: fifteen hours of completed learning earn one salary-lane credit.",
    )

    def __init__(self, *args: Any, state_code: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = jurisdiction_choices(state_code)


class LicenceForm(forms.Form):
    rule_set_key = forms.ChoiceField(label="Rule set", choices=rule_set_choices)
    number = forms.CharField(label="Certificate number", required=False, max_length=60)
    cycle_start = forms.DateField(label="Cycle start", widget=DATE)
    cycle_end = forms.DateField(
        label="Cycle end",
        required=False,
        widget=DATE,
        help_text="Empty: the rule set's years from the start (Texas and New York: 5). "
        "Tennessee licences need the expiry date.",
    )


class LaneForm(forms.Form):
    name = forms.CharField(label="Lane name", max_length=120)
    position = forms.CharField(
        label="Position", max_length=5, help_text="Order on the salary schedule, lowest first."
    )
    credits_required = forms.CharField(
        label="Salary-lane credits required", required=False, max_length=20
    )
    micro_credentials_required = forms.CharField(
        label="Micro-credentials required",
        required=False,
        max_length=5,
        help_text="Give either requirement or both: reaching either one reaches the lane.",
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


APPROVAL_CHOICES = [("", "Not known"), ("yes", "Yes"), ("no", "No")]


class ExternalCreditForm(forms.Form):
    title = forms.CharField(label="Title", max_length=300)
    provider = forms.CharField(label="Provider", required=False, max_length=200)
    completed_on = forms.DateField(label="Completed on", widget=DATE)
    amount = forms.CharField(label="Amount", max_length=20)
    unit = forms.ChoiceField(
        label="Unit", choices=[(u.value, UNIT_NAMES[u][1]) for u in Unit], initial=Unit.CLOCK_HOUR
    )
    category = forms.ChoiceField(
        label="Category",
        choices=[
            (c.value, CATEGORY_LABELS[c][:1].upper() + CATEGORY_LABELS[c][1:]) for c in Category
        ],
        initial=Category.COLLEGE_COURSE,
    )
    hours = forms.CharField(
        label="Clock hours of learning",
        required=False,
        max_length=20,
        help_text="Empty: the amount for hour units, 10 per CEU, 15 per semester hour.",
    )
    topics = forms.CharField(
        label="Topic tags",
        required=False,
        max_length=500,
        help_text="Comma-separated, e.g. “ell” for English-language learners' needs (New York's quota).",
    )
    provider_approved = forms.ChoiceField(
        label="Approved provider", choices=APPROVAL_CHOICES, required=False
    )
    related_to_certificate = forms.BooleanField(
        label="Related to the educator's certificate", required=False, initial=True
    )
    evidence_note = forms.CharField(
        label="Evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What documents it (e.g. “official transcript received 3 May”). Kept in the audit log.",
    )

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["provider_approved"] = {"yes": True, "no": False}.get(data["provider_approved"])
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown in the audit log, e.g. “duplicate of the district workshop record”.",
    )


class ImportedRuleForm(forms.Form):
    hours_each = forms.CharField(
        label="Clock hours each imported credential counts for",
        required=False,
        max_length=20,
        help_text="e.g. 5. Empty: imported credentials do not count toward credit (the default).",
    )
    cap_hours = forms.CharField(
        label="Yearly cap in clock hours",
        required=False,
        max_length=20,
        help_text="At most this many hours from imported credentials per educator and school "
        "year (1 July to 30 June, by the credential's issue date). Empty: no cap.",
    )


class DeclineImportForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the reason."},  # the service's words, as in the API
        help_text="The educator is told this, e.g. “not related to your teaching certificate”.",
    )


class LicenceFilterForm(forms.Form):
    school = forms.ModelChoiceField(
        label="School", queryset=School.objects.none(), required=False, empty_label="All schools"
    )
    rule_set = forms.ChoiceField(label="Rule set on licence", required=False)
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Everyone"), *STATUS_FILTERS.items()],
    )

    def __init__(self, *args: Any, district: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        school_field = self.fields["school"]
        school_field.queryset = School.objects.filter(district=district).order_by("name")  # type: ignore[attr-defined]
        school_field.to_field_name = "public_id"  # type: ignore[attr-defined]
        self.fields["rule_set"].choices = [("", "Any"), *rule_set_choices()]
