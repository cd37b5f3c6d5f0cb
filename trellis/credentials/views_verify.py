"""The public verifier page (/verify/): paste a credential or JWT, upload a file, or open one of
this server's public credentials by its id URL. No sign-in needed."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from trellis.credentials.core.verify import MAX_INPUT_BYTES, PASSED, VerificationReport
from trellis.credentials.verification import public_credential, verify_for_server

ALLOWED_EXTENSIONS = (".json", ".jsonld", ".jwt", ".png", ".svg")
OUTCOME_TEXT = {
    "passed": "Passed",
    "failed": "Failed",
    "warning": "Warning",
    "skipped": "Not checked",
}
OUTCOME_ICON = {"passed": "✓", "failed": "✗", "warning": "!", "skipped": "–"}


class VerifyForm(forms.Form):
    credential = forms.CharField(
        label="Credential JSON or VC-JWT",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "autocomplete": "off"}),
        help_text="Paste the whole credential (it starts with “{”) or a compact JWT (eyJ…).",
    )
    upload = forms.FileField(
        label="…or upload a file",
        required=False,
        help_text="A .json or .jwt credential, or a badge image (.png or .svg) with the credential "
        "baked in. At most 2 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )

    def clean_credential(self) -> str:
        text = self.cleaned_data["credential"].strip()
        if len(text.encode()) > MAX_INPUT_BYTES:
            raise forms.ValidationError("The pasted text is larger than 2 MB.")
        return text

    def clean_upload(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        suffix = PurePath(upload.name or "").suffix.lower()
        if suffix not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(
                "Upload a .json, .jwt, .png or .svg file (this one is “%(suffix)s”).",
                params={"suffix": suffix or "without an extension"},
            )
        if upload.size > MAX_INPUT_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB.")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        has_text, has_file = bool(cleaned.get("credential")), bool(cleaned.get("upload"))
        if not self.errors and has_text == has_file:
            raise forms.ValidationError(
                "Paste a credential or upload a file (one of the two)."
                if not has_text
                else "Paste a credential or upload a file, not both."
            )
        return cleaned

    def data_to_verify(self) -> str | bytes:
        upload = self.cleaned_data.get("upload")
        if upload:
            return b"".join(upload.chunks())
        return self.cleaned_data["credential"]


def _rows(report: VerificationReport) -> list[dict[str, str]]:
    return [
        {
            "label": check.label,
            "outcome": check.outcome,
            "outcome_text": OUTCOME_TEXT[check.outcome],
            "icon": OUTCOME_ICON[check.outcome],
            "detail": check.detail,
        }
        for check in report.checks
    ]


def _verdict(report: VerificationReport) -> str:
    if not report.ok:
        return "This credential could not be verified."
    if report.warnings:
        return "Verified, with warnings: read them below."
    return "Verified: this credential is authentic and in good standing."


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    report, status, link_error = None, 200, ""
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            report = verify_for_server(form.data_to_verify())
        else:
            status = 400
    else:
        form = VerifyForm()
        url = request.GET.get("credential", "").strip()
        if url:
            credential = public_credential(url)
            if credential is None:
                status = 404
                link_error = (
                    "That link is not a public credential issued by this server. Only this "
                    "server's public credentials open by link; paste or upload any other."
                )
            else:
                report = verify_for_server(credential.document)
    context = {"form": form, "report": report, "link_error": link_error}
    if report is not None:
        context |= {
            "rows": _rows(report),
            "verdict": _verdict(report),
            "passed": sum(1 for check in report.checks if check.outcome == PASSED),
        }
    return render(request, "credentials/verify.html", context, status=status)
