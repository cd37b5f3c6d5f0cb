"""The erasure form. The service checks the reason and the confirmation (one set of messages
for the page and the command); the form only carries them."""

from __future__ import annotations

from django import forms

from trellis.privacy.services import MAX_REASON


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_REASON}),
        help_text="Why, e.g. the request's reference and date. Kept with the record of the erasure.",
    )
    confirmation = forms.CharField(
        label="Type their e-mail address to confirm",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
