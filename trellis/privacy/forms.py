"""The erasure form. The service checks the reason and the confirmation (one set of messages
for the page, the API and the command); the form marks both required, in the service's words."""

from __future__ import annotations

from django import forms

from trellis.privacy.services import MAX_REASON


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        error_messages={
            "required": "Give the reason for the erasure (for example, the request's reference)."
        },
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_REASON}),
        help_text="Why, e.g. the request's reference and date. Kept with the record of the erasure.",
    )
    confirmation = forms.CharField(
        label="Type their e-mail address to confirm",
        error_messages={"required": "Type the educator's e-mail address exactly to confirm."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
