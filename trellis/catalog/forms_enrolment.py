"""Forms of the enrolment pages: a request, a withdrawal, an approver's decision, the chain."""

from __future__ import annotations

from typing import Any

from django import forms

from trellis.catalog.models import ApprovalCondition, ApproverKind
from trellis.catalog.services.chains import MAX_DAYS_TO_DECIDE, MAX_RULES
from trellis.catalog.services.enrolment import MAX_NOTE, MAX_REASON


class EnrolForm(forms.Form):
    session = forms.ChoiceField(
        label="Session", widget=forms.RadioSelect, required=False, choices=()
    )
    note = forms.CharField(
        label="Note for the approvers",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why you want to take part; approvers read it.",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if choices is None:
            del self.fields["session"]
        else:
            self.fields["session"].choices = choices
            self.fields["session"].required = True
            self.fields["session"].error_messages["required"] = "Choose a session."


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional; it helps the PD office plan.",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("deny", "Deny")],
        error_messages={"required": "Choose to approve or to deny."},
    )
    reason = forms.CharField(
        label="Reason or note",
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required to deny: the educator reads it.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "deny" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for saying no; the educator will read it.")
        return data


class RuleForm(forms.Form):
    # A blank first choice: an untouched extra row is "unchanged", so it adds no rule.
    approver = forms.ChoiceField(
        label="Who approves", choices=[("", "Choose…"), *ApproverKind.choices]
    )
    condition = forms.ChoiceField(
        label="When it applies", choices=[("", "Choose…"), *ApprovalCondition.choices]
    )
    days_to_decide = forms.IntegerField(
        label="Days to decide", min_value=1, max_value=MAX_DAYS_TO_DECIDE, initial=5
    )


RuleFormSet = forms.formset_factory(
    RuleForm, extra=1, can_order=True, can_delete=True, max_num=MAX_RULES, validate_max=True
)
