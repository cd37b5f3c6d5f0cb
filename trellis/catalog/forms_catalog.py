"""The catalog's filters, parsed the same way for the page and the API.

A wrong value is explained next to its field (or in the API's 400) and only that filter is
dropped; the valid filters still apply.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from trellis.catalog.models import OfferingStatus
from trellis.catalog.offering_choices import (
    CAREER_STAGE_CHOICES,
    FORMAT_CHOICES,
    GRADE_BAND_CHOICES,
    KIND_CHOICES,
    STUDENT_GROUP_CHOICES,
    UNIT_CHOICES,
    Choices,
)
from trellis.catalog.queries.offerings import ANY_STATUS, SORT_CHOICES, OfferingFilters
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import FrameworkItem
from trellis.growth import queries as growth_queries

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TRUE_WORDS = {"1", "true", "on", "yes"}
FALSE_WORDS = {"", "0", "false", "off", "no"}

# Filters shown behind "More filters" on the page (the rest are always visible).
MORE_FILTERS = (
    "grade",
    "subject",
    "career_stage",
    "students",
    "max_hours",
    "free",
    "max_cost",
    "credit",
    "date_from",
    "date_to",
)


class QuickSelect(forms.Select):
    """A select written in Python: the stock widget renders a template per option, which made
    the filter form most of the catalog page's time (see benchmarks/catalog_search.py)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = str(value[0] if isinstance(value, list | tuple) and value else value or "")

        def option(key: Any, label: Any) -> str:
            key = "" if key is None else str(key)
            selected = " selected" if key == chosen else ""
            return format_html('<option value="{}"{}>{}</option>', key, selected, label)

        parts = []
        for key, label in self.choices:
            if isinstance(label, list | tuple):
                inner = "".join(option(k, text) for k, text in label)
                parts.append(format_html('<optgroup label="{}">', key) + inner + "</optgroup>")
            else:
                parts.append(option(key, label))
        # Every option and attribute was escaped by format_html above; the whole is safe.
        html = format_html("<select{}>", flatatt(final)) + "".join(parts) + "</select>"
        return mark_safe(html)  # noqa: S308


def _invalid(what: str, choices: Choices) -> dict[str, str]:
    values = ", ".join(value for value, _label in choices if value)
    return {"invalid_choice": f"Unknown {what} “%(value)s”. Choose one of: {values}."}


def _choice(label: str, what: str, choices: Choices, any_label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", any_label), *choices],
        error_messages=_invalid(what, choices),
        widget=QuickSelect,
    )


class _RawCheckbox(forms.CheckboxInput):
    """Hands the field the text sent, so "free=maybe" is an error rather than "yes"."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name, "")


class YesNoField(forms.Field):
    def __init__(self, **kwargs: Any) -> None:
        widget = _RawCheckbox(
            attrs={"value": "1"}, check_test=lambda v: v is True or str(v).lower() in TRUE_WORDS
        )
        super().__init__(required=False, widget=widget, **kwargs)

    def to_python(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = str(value or "").strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise forms.ValidationError(f"“{value}” is not yes or no: use 1 or 0.")


def competency_filter_choices(district: Any) -> list[tuple[str, Any]]:
    """The adopted framework's domains (each matching everything under it) and competencies."""
    framework = growth_queries.adopted_framework(district)
    if framework is None:
        return []
    cmap = growth_queries.competency_map(framework)
    groups: list[tuple[str, Any]] = []
    for group in cmap.groups:
        options = [(str(item.public_id), str(item)) for item in group.competencies]
        if group.domain is not None:
            options.insert(0, (str(group.domain.public_id), f"Anything in {group.domain}"))
        groups.append((group.title, options))
    return groups


class _CompetencyField(forms.ChoiceField):
    """Any item of the district's frameworks is accepted (the form looks it up), not only the
    options offered in the list."""

    def valid_value(self, value: Any) -> bool:
        return True


class OfferingFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    competency = _CompetencyField(required=False, label="Competency", widget=QuickSelect)
    kind = _choice("Kind", "kind", KIND_CHOICES, "Any kind")
    format = _choice("Format", "format", FORMAT_CHOICES, "Any format")
    grade = _choice("Grade band", "grade band", GRADE_BAND_CHOICES, "Any grade band")
    subject = forms.CharField(required=False, max_length=100, label="Subject")
    career_stage = _choice("Career stage", "career stage", CAREER_STAGE_CHOICES, "Any stage")
    students = _choice("Students served", "student group", STUDENT_GROUP_CHOICES, "Any students")
    max_hours = forms.DecimalField(
        required=False,
        min_value=Decimal("0.25"),
        max_digits=6,
        decimal_places=2,
        label="Time needed, at most (hours)",
    )
    free = YesNoField(label="Free only")
    max_cost = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        label="Cost at most ($)",
    )
    credit = _choice("Credit type", "credit type", UNIT_CHOICES, "Any credit")
    date_from = forms.DateField(required=False, widget=DATE_INPUT, label="Meets from")
    date_to = forms.DateField(required=False, widget=DATE_INPUT, label="Meets until")
    sort = forms.ChoiceField(
        required=False,
        choices=SORT_CHOICES,
        label="Sort by",
        error_messages=_invalid("sort", SORT_CHOICES),
        widget=QuickSelect,
    )

    def __init__(
        self, *args: Any, access: DistrictAccess, with_choices: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.access = access
        # The competency options only matter on the page (any id is looked up when given).
        options = competency_filter_choices(access.district) if with_choices else []
        self.fields["competency"].choices = [("", "Any competency"), *options]
        if access.can(Perm.MANAGE_CATALOG):
            statuses = [(ANY_STATUS, "Every status"), *OfferingStatus.choices]
            self.fields["status"] = forms.ChoiceField(
                required=False,
                choices=[("", "Published"), *statuses],
                label="Status",
                error_messages=_invalid("status", statuses),
                widget=QuickSelect,
            )

    def clean_competency(self) -> FrameworkItem | None:
        value = self.cleaned_data.get("competency") or ""
        if not value:
            return None
        try:
            wanted = uuid.UUID(str(value))
        except ValueError:
            raise forms.ValidationError(f"“{value}” is not a competency id.") from None
        item = FrameworkItem.objects.filter(
            framework__district=self.access.district, public_id=wanted
        ).first()
        if item is None:
            raise forms.ValidationError(
                f"No competency {value} in {self.access.district.name}'s frameworks."
            )
        return item

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "“Meets until” is before “Meets from”.")
        return data

    def main_filters(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in MORE_FILTERS]

    def more_filters(self) -> list[forms.BoundField]:
        return [self[name] for name in MORE_FILTERS]

    def more_filters_used(self) -> bool:
        return any(self.data.get(name) for name in MORE_FILTERS)


@dataclass(frozen=True)
class ParsedFilters:
    filters: OfferingFilters
    form: OfferingFilterForm
    errors: dict[str, str]  # parameter → what is wrong with its value

    @property
    def active(self) -> bool:
        """Any filter narrows the list (the sort alone does not)."""
        names = set(self.form.fields) - {"sort"}
        return any(self.form.data.get(name) for name in names)


def parse_filters(params: Any, *, access: DistrictAccess, for_page: bool = False) -> ParsedFilters:
    """Read filters from query parameters (a QueryDict or a dict of strings); `for_page` also
    loads the competency options the page's select shows."""
    form = OfferingFilterForm(params, access=access, with_choices=for_page)
    form.is_valid()  # the wrong fields keep their errors; cleaned_data holds the valid ones
    data = form.cleaned_data
    errors = {name: " ".join(messages) for name, messages in form.errors.items()}
    filters = OfferingFilters(
        text=(data.get("q") or "").strip(),
        competency=data.get("competency"),
        kind=data.get("kind") or "",
        format=data.get("format") or "",
        grade_band=data.get("grade") or "",
        subject=(data.get("subject") or "").strip(),
        max_hours=data.get("max_hours"),
        free_only=bool(data.get("free")),
        max_cost=data.get("max_cost"),
        credit_unit=data.get("credit") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        career_stage=data.get("career_stage") or "",
        students_served=data.get("students") or "",
        status=data.get("status") or "",
        sort=data.get("sort") or "title",
    )
    return ParsedFilters(filters=filters, form=form, errors=errors)
