"""HTML forms for district administration."""

from __future__ import annotations

from django import forms

from trellis.districts.models import Role, School


class InvitationForm(forms.Form):
    email = forms.EmailField()
    full_name = forms.CharField(
        max_length=150, required=False, help_text="Shown in the invitation e-mail."
    )
    roles = forms.MultipleChoiceField(
        choices=Role.choices, widget=forms.CheckboxSelectMultiple, help_text="Choose one or more."
    )
    school = forms.ModelChoiceField(
        queryset=School.objects.none(), required=False, empty_label="District-wide"
    )

    def __init__(self, *args: object, district: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(district=district)
        self.fields["school"].to_field_name = "public_id"


class InvitationCsvForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: email, full_name, roles (separated by ;), school. "
        "Every row is checked first; nothing is sent until all rows are valid.",
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    school = forms.ModelChoiceField(
        queryset=School.objects.none(), required=False, empty_label="District-wide"
    )

    def __init__(self, *args: object, district: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(district=district)
        self.fields["school"].to_field_name = "public_id"


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password; not only digits.",
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(required=False)
    actor = forms.CharField(required=False, label="Person (e-mail contains)")
    since = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From"
    )
    until = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To"
    )

    def __init__(self, *args: object, actions: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "All actions"), *[(a, a) for a in actions]]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search name or e-mail")
    role = forms.ChoiceField(required=False, choices=[("", "All roles"), *Role.choices])
    school = forms.ModelChoiceField(
        queryset=School.objects.none(), required=False, empty_label="All schools"
    )

    def __init__(self, *args: object, district: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(district=district)
        self.fields["school"].to_field_name = "public_id"


class SchoolForm(forms.Form):
    name = forms.CharField(max_length=150)
    grade_span = forms.CharField(max_length=20, required=False, help_text="e.g. K-5, 6-8, 9-12")
