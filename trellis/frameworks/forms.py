"""HTML forms for frameworks: CASE upload, details, items and the proficiency scale."""

from __future__ import annotations

from django import forms

from trellis.frameworks import case
from trellis.frameworks.models import Framework, FrameworkItem
from trellis.frameworks.services import LevelDraft
from trellis.frameworks.services.common import MAX_LEVELS

MAX_UPLOAD_MB = case.MAX_PACKAGE_BYTES // (1024 * 1024)


class CaseUploadForm(forms.Form):
    file = forms.FileField(
        label="CASE file (JSON)",
        help_text=f"A CASE 1.0 or 1.1 CFPackage, at most {MAX_UPLOAD_MB} MB. You will see a "
        "preview before anything is imported.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > case.MAX_PACKAGE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / (1024 * 1024):.1f} MB; the limit is "
                f"{MAX_UPLOAD_MB} MB. Export a smaller framework or split it.",
                code="file_too_large",
            )
        return upload


class ConfirmImportForm(forms.Form):
    purpose = forms.ChoiceField(
        choices=Framework.Purpose.choices,
        initial=Framework.Purpose.EDUCATOR_PRACTICE,
        required=False,  # not asked when the file updates an earlier import
        label="What does this framework describe?",
        help_text="Only an educator-practice framework can become the district's adopted one.",
    )


class FrameworkDetailsForm(forms.Form):
    title = forms.CharField(max_length=300)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.CharField(max_length=50, required=False)


class CopyForm(forms.Form):
    title = forms.CharField(
        max_length=300, required=False, label="Title of the copy", help_text="Optional."
    )


class ItemForm(forms.Form):
    human_code = forms.CharField(
        max_length=60, required=False, label="Code", help_text="e.g. 2.3 or 2.3.b"
    )
    title = forms.CharField(max_length=500, help_text="A short name.")
    statement = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The full statement, one or two sentences.",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NewItemForm(ItemForm):
    kind = forms.ChoiceField(choices=FrameworkItem.Kind.choices)
    field_order = ["kind", "human_code", "title", "statement", "description"]


class ScaleForm(forms.Form):
    """Up to seven rows; rows left empty are ignored. The service checks the scale as a whole."""

    target = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label="Target level",
        help_text="The level educators are expected to reach.",
        error_messages={"required": "Mark exactly one level as the target level."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        rows = range(1, MAX_LEVELS + 1)
        self.fields["target"].choices = [(n, f"Row {n}") for n in rows]
        for n in rows:
            self.fields[f"value_{n}"] = forms.IntegerField(
                required=False, min_value=1, max_value=MAX_LEVELS, label=f"Row {n} number"
            )
            self.fields[f"label_{n}"] = forms.CharField(
                required=False, max_length=80, label=f"Row {n} label"
            )
            self.fields[f"description_{n}"] = forms.CharField(
                required=False, label=f"Row {n} description"
            )

    @classmethod
    def initial_for(cls, levels: list) -> dict[str, object]:
        initial: dict[str, object] = {}
        for n, level in enumerate(levels, 1):
            initial |= {
                f"value_{n}": level.value,
                f"label_{n}": level.label,
                f"description_{n}": level.description,
            }
            if level.is_target:
                initial["target"] = n
        return initial

    def rows(self) -> list[dict[str, object]]:
        return [
            {
                "number": n,
                "value": self[f"value_{n}"],
                "label": self[f"label_{n}"],
                "description": self[f"description_{n}"],
            }
            for n in range(1, MAX_LEVELS + 1)
        ]

    def levels(self) -> list[LevelDraft]:
        data = self.cleaned_data
        return [
            LevelDraft(
                value=data[f"value_{n}"] or 0,
                label=data[f"label_{n}"],
                description=data[f"description_{n}"],
                is_target=data["target"] == n,
            )
            for n in range(1, MAX_LEVELS + 1)
            if data[f"label_{n}"].strip() or data[f"value_{n}"] or data["target"] == n
        ]
