"""Forms of the issuing pages."""

from __future__ import annotations

from django import forms

from trellis.credentials.models import CredentialStatus, IssuerProfile, JwtAlgorithm


class IssuerProfileForm(forms.ModelForm):
    url = forms.URLField(label="Web site", required=False, assume_scheme="https", max_length=200)
    image_url = forms.URLField(
        label="Logo URL",
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="An https address of a square logo.",
    )
    jwt_algorithm = forms.ChoiceField(
        label="VC-JWT signature algorithm",
        choices=JwtAlgorithm.choices,
        required=False,
        help_text="ES256 (P-256) needs a public https site (a did:web issuer).",
    )

    class Meta:
        model = IssuerProfile
        fields = [
            "name",
            "url",
            "email",
            "image_url",
            "description",
            "issue_for_completions",
            "issue_for_capstones",
            "suspendable",
            "jwt_algorithm",
        ]
        labels = {
            "name": "Issuer name",
            "url": "Web site",
            "email": "Contact e-mail",
            "image_url": "Logo URL",
            "issue_for_completions": "Issue for completed offerings",
            "issue_for_capstones": "Issue for completed stacks (capstones)",
            "suspendable": "New credentials can be suspended",
        }
        help_texts = {
            "name": "Shown as the issuer on every new credential.",
            "image_url": "An https address of a square logo.",
            "description": "A sentence or two about the organisation, shown to verifiers.",
            "suspendable": "Adds a second, suspension status entry to new credentials, so you "
            "can suspend and reinstate them. Strict Open Badges 3.0 validators, whose schema "
            "allows one status entry, may reject such credentials.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_jwt_algorithm(self) -> str:
        return self.cleaned_data["jwt_algorithm"] or JwtAlgorithm.EDDSA

    def clean_image_url(self) -> str:
        value = self.cleaned_data["image_url"]
        if value and not value.startswith("https://"):
            raise forms.ValidationError("The logo must be an https address.")
        return value


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The recipient and anyone verifying the credential may see this.",
    )

    def __init__(self, *args: object, required: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.reason_required = required
        self.fields["reason"].required = required

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason and self.reason_required:
            raise forms.ValidationError("Give a reason.")
        return reason


class IssuedFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *CredentialStatus.choices],
    )
