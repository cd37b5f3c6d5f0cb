"""One pagination rule for HTML lists: `?page=N`, a fixed page size, never an error page."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(queryset: QuerySet, page_param: str | None, *, per_page: int = 25) -> Page:
    paginator = Paginator(queryset, per_page)
    try:
        number = int(page_param or 1)
    except ValueError:
        number = 1
    number = min(max(number, 1), paginator.num_pages)
    return paginator.page(number)


def query_without_page(request: HttpRequest) -> str:
    """The current query string minus `page`, ready to prefix `page=N` in pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""
