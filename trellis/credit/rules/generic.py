"""Conversions that hold unless a jurisdiction says otherwise.

SOURCES (research/existing-systems.md §4.1, "CEU convention"):
- ittproservices.com: 1 CEU = 10 contact hours; a PDH is 1 contact hour.

States convert differently (Tennessee counts 1 CEU = 5 PDPs), so a rule set lists the
conversions it accepts; these are only the common defaults it may include.
"""

from decimal import Decimal

from trellis.credit.rules.model import Conversion, Unit

CEU_IS_TEN_CLOCK_HOURS = Conversion(
    Unit.CEU, Unit.CLOCK_HOUR, Decimal(10), "1 CEU = 10 contact hours (the usual convention)"
)

GENERIC_CONVERSIONS = (CEU_IS_TEN_CLOCK_HOURS,)
