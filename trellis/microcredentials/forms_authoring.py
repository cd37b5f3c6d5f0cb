"""HTML input shaping for authoring definitions and stacks. The services check everything again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from trellis.catalog.offering_choices import UNIT_CHOICES
from trellis.growth.forms import competency_choices
from trellis.growth.queries import CompetencyMap
from trellis.microcredentials.models import Artifact, DefinitionVersion, RequirementPart, Stack
from trellis.microcredentials.services.definition_fields import MAX_FILES, MAX_WORDS


class DefinitionForm(forms.Form):
    title = forms.CharField(max_length=200)
    issuer_name = forms.CharField(
        max_length=200, required=False, label="Issuing organisation", help_text="Needed to publish."
    )
    issuer_url = forms.URLField(
        max_length=500, required=False, assume_scheme="https", label="Issuer's web address"
    )
    summary = forms.CharField(
        max_length=300, required=False, help_text="One sentence, shown in the list."
    )
    key_method = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        required=False,
        help_text="The practice the educator demonstrates. Needed to publish.",
    )
    method_components = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        label="Method components",
        help_text="One component per line, in order.",
    )
    research = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        required=False,
        label="Supporting research",
        help_text="Citations, one per line.",
    )
    resources = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One per line: a title, a space, a vertical bar, a space, the web address. "
        "For example: Practice guide | https://ies.ed.gov/ncee/wwc/",
    )
    competencies = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Competencies demonstrated"
    )
    credit_amount = forms.DecimalField(
        min_value=Decimal(0), max_digits=6, decimal_places=2, initial=Decimal(15)
    )
    credit_unit = forms.ChoiceField(choices=UNIT_CHOICES, initial="clock_hour")
    estimated_hours = forms.DecimalField(
        min_value=Decimal("0.25"), max_digits=6, decimal_places=2, initial=Decimal(15)
    )
    prerequisites = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Micro-credentials an educator must earn first.",
    )
    image = forms.FileField(
        required=False, help_text="PNG or JPEG, at most 2 MB.", widget=forms.ClearableFileInput
    )

    SECTIONS = (
        ("About", ("title", "issuer_name", "issuer_url", "summary")),
        ("The method", ("key_method", "method_components", "research", "resources")),
        ("Credit and time", ("credit_amount", "credit_unit", "estimated_hours")),
    )

    def __init__(
        self,
        *args: Any,
        cmap: CompetencyMap | None,
        prerequisite_choices: list[tuple[str, str]],
        current: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competency_groups = competency_choices(cmap)
        offered = {value for _group, options in self.competency_groups for value, _ in options}
        earlier = [item for item in current or [] if str(item.public_id) not in offered]
        if earlier:  # linked from a framework the district no longer uses: keep them choosable
            self.competency_groups.append(
                ("From an earlier framework", [(str(i.public_id), str(i)) for i in earlier])
            )
        self.fields["competencies"].choices = [
            option for _group, options in self.competency_groups for option in options
        ]
        self.fields["prerequisites"].choices = prerequisite_choices

    def section_fields(self) -> list[tuple[str, list[Any]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    @staticmethod
    def initial_for(version: DefinitionVersion | None) -> dict[str, Any]:
        if version is None:
            return {"credit_unit": "clock_hour"}
        return {
            "title": version.title,
            "issuer_name": version.issuer_name,
            "issuer_url": version.issuer_url,
            "summary": version.summary,
            "key_method": version.key_method,
            "method_components": "\n".join(version.method_components),
            "research": version.research,
            "resources": "\n".join(f"{r['title']} | {r['url']}" for r in version.resources),
            "competencies": [str(c.public_id) for c in version.competencies.all()],
            "credit_amount": version.credit_amount,
            "credit_unit": version.credit_unit,
            "estimated_hours": version.estimated_hours,
            "prerequisites": [str(p.public_id) for p in version.prerequisites.all()],
            "image": version.image or None,
        }

    def clean_method_components(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["method_components"].splitlines()
            if line.strip()
        ]

    def clean_resources(self) -> list[dict[str, str]]:
        found = []
        for number, line in enumerate(self.cleaned_data["resources"].splitlines(), start=1):
            if not line.strip():
                continue
            title, bar, url = line.rpartition("|")
            if not bar:
                raise forms.ValidationError(
                    f"Line {number}: write the title, then “|”, then the web address."
                )
            found.append({"title": title.strip(), "url": url.strip()})
        return found

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("image", None)
        return data


PART_TYPES = [(value, label) for value, label in Artifact.Kind.choices]


class PartForm(forms.Form):
    kind = forms.ChoiceField(choices=RequirementPart.Kind.choices)
    title = forms.CharField(max_length=200)
    prompt = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text="What to submit or answer.",
    )
    required = forms.BooleanField(required=False, initial=True, label="Required to submit")
    accepted_types = forms.MultipleChoiceField(
        choices=PART_TYPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Accepted artifacts",
        help_text="For artifact parts: at least one.",
    )
    max_files = forms.IntegerField(
        min_value=1, max_value=MAX_FILES, initial=3, required=False, label="Files at most"
    )
    max_words = forms.IntegerField(
        min_value=1,
        max_value=MAX_WORDS,
        required=False,
        label="Words at most",
        help_text="Empty for no limit.",
    )

    @staticmethod
    def initial_for(part: RequirementPart) -> dict[str, Any]:
        return {
            "kind": part.kind,
            "title": part.title,
            "prompt": part.prompt,
            "required": part.required,
            "accepted_types": part.accepted_types,
            "max_files": part.max_files,
            "max_words": part.max_words,
        }


LEVELS = (
    ("not_yet", "Not yet", True),
    ("emerging", "Emerging", False),
    ("proficient", "Proficient", True),
    ("exemplary", "Exemplary", False),
)


class CriterionForm(forms.Form):
    """The usual four levels; "Emerging" and "Exemplary" are optional (left empty: not used)."""

    name = forms.CharField(max_length=200, label="Criterion")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label, required in LEVELS:
            self.fields[key] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
                required=required,
                label=f"“{label}” looks like",
            )

    @staticmethod
    def initial_for(levels: list[dict[str, str]], name: str) -> dict[str, Any]:
        initial: dict[str, Any] = {"name": name}
        for level in levels:
            initial[level["key"]] = level["descriptor"]
        return initial

    def levels(self) -> list[dict[str, str]]:
        return [
            {"key": key, "label": label, "descriptor": self.cleaned_data[key].strip()}
            for key, label, _required in LEVELS
            if (self.cleaned_data.get(key) or "").strip()
        ]


class StackForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )
    capstone_title = forms.CharField(
        max_length=200, label="Capstone credential", help_text="Earned on completing the stack."
    )
    members = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, help_text="Published micro-credentials, at least 2."
    )
    required_count = forms.IntegerField(
        min_value=1,
        label="How many must be earned",
        help_text="Between 1 and the number of members.",
    )

    def __init__(self, *args: Any, member_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = member_choices

    @staticmethod
    def initial_for(stack: Stack) -> dict[str, Any]:
        return {
            "title": stack.title,
            "description": stack.description,
            "capstone_title": stack.capstone_title,
            "members": [str(m.public_id) for m in stack.members.all()],
            "required_count": stack.required_count,
        }


class ImportForm(forms.Form):
    file = forms.FileField(required=False, label="JSON file", help_text="At most 1 MB.")
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}), required=False, label="Or paste the JSON"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError("Choose a JSON file or paste the document.")
        return data

    def raw(self) -> bytes | str:
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(1024 * 1024 + 1)
        return self.cleaned_data["text"]
