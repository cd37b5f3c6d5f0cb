"""Informal learning API: the caller's log (list with this school year's totals, create, read,
edit, delete). Checks are the services'; a bad field is a 400 naming it in details.field."""

import datetime as dt
import uuid
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from trellis.api.v1.common import ErrorOut, require
from trellis.districts.permissions import Perm
from trellis.informal import queries
from trellis.informal.models import InformalEntry
from trellis.informal.services import entries

router = Router(tags=["informal"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
MAX_LIMIT = 100


class EntryOut(Schema):
    id: uuid.UUID
    title: str
    url: str
    minutes: int
    format: str = Field(
        ...,
        description="video, podcast, article, social, book, colleague_visit, edcamp, course, other",
    )
    competency: uuid.UUID | None
    competency_title: str
    reflection: str
    learned_on: dt.date
    source: str = Field(..., description="manual, bookmarklet or xapi")
    counted_hours: Decimal | None = Field(..., description="Hours credited; null: not counted")
    credit_note: str = Field(..., description="Why it counted, partly or not at all")
    created_at: dt.datetime


class TotalsOut(Schema):
    school_year: str
    entries: int
    hours: Decimal
    counted_hours: Decimal


class EntryListOut(Schema):
    items: list[EntryOut]
    count: int
    totals: TotalsOut


class EntryIn(Schema):
    title: str = ""
    url: str = ""
    minutes: int | str | None = Field(None, description="1 to 1440")
    format: str = ""
    learned_on: dt.date | str | None = Field(None, description="YYYY-MM-DD, not in the future")
    competency: uuid.UUID | str | None = Field(
        None, description="A competency of the adopted framework"
    )
    reflection: str = ""


class EntryPatchIn(Schema):
    title: str | None = None
    url: str | None = None
    minutes: int | str | None = None
    format: str | None = None
    learned_on: dt.date | str | None = None
    competency: uuid.UUID | str | None = None
    reflection: str | None = None


class ListParams(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


def _out(entry: InformalEntry) -> EntryOut:
    return EntryOut(
        id=entry.public_id,
        title=entry.title,
        url=entry.url,
        minutes=entry.minutes,
        format=entry.format,
        competency=entry.competency.public_id if entry.competency else None,
        competency_title=str(entry.competency) if entry.competency else "",
        reflection=entry.reflection,
        learned_on=entry.learned_on,
        source=entry.source,
        counted_hours=entry.counted_hours,
        credit_note=entry.credit_note,
        created_at=entry.created_at,
    )


@router.get("/me/informal-learning", response={200: EntryListOut, **ERRORS})
def list_entries(request: HttpRequest, params: Query[ListParams]) -> EntryListOut:
    """The caller's informal learning, newest first, with this school year's totals."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    rows = queries.own_entries(access, request.user)
    totals = queries.totals(access, request.user)
    page = list(rows[params.offset : params.offset + params.limit])
    return EntryListOut(
        items=[_out(e) for e in page],
        count=rows.count(),
        totals=TotalsOut(
            school_year=totals.year_label,
            entries=totals.entries,
            hours=totals.hours,
            counted_hours=totals.counted_hours,
        ),
    )


@router.post("/me/informal-learning", response={201: EntryOut, **ERRORS})
def create_entry(request: HttpRequest, payload: EntryIn) -> tuple[int, EntryOut]:
    """Log one piece of informal learning (counted toward credit when the district's rules say so)."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    entry = entries.create_entry(access=access, actor=request.user, **payload.model_dump())
    return 201, _out(entry)


@router.get("/me/informal-learning/{entry_id}", response={200: EntryOut, **ERRORS})
def get_entry(request: HttpRequest, entry_id: str) -> EntryOut:
    access = require(request, Perm.VIEW_OWN_LEARNING)
    return _out(queries.own_entry(access, request.user, entry_id))


@router.patch("/me/informal-learning/{entry_id}", response={200: EntryOut, **ERRORS})
def patch_entry(request: HttpRequest, entry_id: str, payload: EntryPatchIn) -> EntryOut:
    """Change some fields; a counted entry keeps its time, date, format and reflection."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    found = queries.own_entry(access, request.user, entry_id)
    fields = {
        "title": found.title,
        "url": found.url,
        "minutes": found.minutes,
        "format": found.format,
        "learned_on": found.learned_on,
        "competency": found.competency.public_id if found.competency else None,
        "reflection": found.reflection,
    }
    fields.update(payload.model_dump(exclude_unset=True))
    updated = entries.update_entry(access=access, actor=request.user, entry=found, **fields)
    return _out(queries.own_entry(access, request.user, updated.public_id))


@router.delete("/me/informal-learning/{entry_id}", response={204: None, **ERRORS})
def delete_entry(request: HttpRequest, entry_id: str) -> tuple[int, None]:
    access = require(request, Perm.VIEW_OWN_LEARNING)
    found = queries.own_entry(access, request.user, entry_id)
    entries.delete_entry(access=access, actor=request.user, entry=found)
    return 204, None
