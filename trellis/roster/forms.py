"""The upload form of roster imports and the column reference shown beside it."""

from __future__ import annotations

from typing import Any

from django import forms

from trellis.roster.parsing import MAX_UPLOAD_BYTES

# (column, required?, what goes in it) — the upload page and docs/roster-import.md say the same.
CSV_COLUMN_HELP = [
    ("email", "required", "The person's e-mail address; it is how they sign in."),
    ("full_name", "required*", "Full name. *Or two columns, given_name and family_name."),
    (
        "roles",
        "optional",
        "educator, coach, assessor, approver, district_admin — separate several "
        "with ; (blank means educator).",
    ),
    ("school", "optional", "School name; a school that does not exist yet is created."),
    (
        "position",
        "optional",
        "teacher, counselor, para, specialist, librarian, coach, leader or district.",
    ),
    ("years_experience", "optional", "Whole years in education, 0–70."),
    ("subjects", "optional", "Subjects taught, separated by ; (e.g. Mathematics;Science)."),
    (
        "grade_bands",
        "optional",
        "pre_k, k_5, 6_8, 9_12 separated by ; — or grade ranges such as K-5, 06-08, 9-12.",
    ),
    (
        "source_id",
        "optional",
        "The person's id in your student information system; it matches "
        "people even when their e-mail changes.",
    ),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files (a OneRoster export may come as its separate CSV files)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.zip,text/csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data] or [single(None, initial)]
        return [single(data, initial)]


class RosterUploadForm(forms.Form):
    files = MultipleFileField(
        label="Roster file",
        help_text="A CSV file with the columns below, or a OneRoster 1.1 CSV export: its .zip, "
        "or manifest.csv, orgs.csv and users.csv together. At most 50 MB.",
    )
    format = forms.ChoiceField(
        choices=[
            ("auto", "Detect from the file"),
            ("csv", "Trellis CSV"),
            ("oneroster", "OneRoster 1.1 CSV"),
        ],
        initial="auto",
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label="Preview first",
        help_text="Check the file and show what would change; nothing is written until you apply.",
    )
    full_sync = forms.BooleanField(
        required=False,
        label="Full sync",
        help_text="People of this district who are not in the file are deactivated here "
        "(never deleted; their other districts are untouched).",
    )
    send_invitations = forms.BooleanField(
        required=False,
        label="E-mail new people a link to set their password",
        help_text="Otherwise they join with “Forgot your password?” on the sign-in page.",
    )

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data["files"]
        total = sum(upload.size for upload in files)
        if total > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The upload is {total / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Split the file by school and import "
                "each part."
            )
        return files
