"""Template filters for credit amounts: `{{ value|num }}` → "7.5", `{{ unit|unit_name }}` →
"CPE hours", `{{ amount|amount_of:unit }}` → "1 CEU"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from trellis.credit.queries.rows import category_label, unit_amount, unit_label
from trellis.credit.rules.wording import number

register = template.Library()


@register.filter
def num(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        return number(Decimal(str(value)))
    except ArithmeticError:
        return str(value)


@register.filter
def unit_name(unit: Any) -> str:
    return unit_label(str(unit))


@register.filter
def amount_of(value: Any, unit: Any) -> str:
    return unit_amount(Decimal(str(value)), str(unit))


@register.filter
def category_name(category: Any) -> str:
    return category_label(str(getattr(category, "value", category)))
