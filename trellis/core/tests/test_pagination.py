"""Pagination of HTML lists: `?page=N`, never an error page."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory

from trellis.core.pagination import paginate, query_without_page

ITEMS = list(range(1, 61))  # 60 items: pages of 25, 25 and 10


@pytest.mark.parametrize(
    ("param", "number"),
    [
        (None, 1),
        ("", 1),
        ("1", 1),
        ("2", 2),
        (" 2 ", 2),
        ("3", 3),
        ("0", 1),
        ("-5", 1),
        ("4", 3),
        ("9" * 400, 3),
        ("abc", 1),
        ("2.5", 1),
        ("1e3", 1),
        ("\x00", 1),
        ("last", 1),
    ],
)
def test_any_page_parameter_gives_a_real_page(param, number):
    page = paginate(ITEMS, param)

    assert page.number == number
    assert page.paginator.num_pages == 3


def test_pages_hold_the_right_slices():
    assert list(paginate(ITEMS, "1")) == list(range(1, 26))
    assert list(paginate(ITEMS, "3")) == list(range(51, 61))
    assert list(paginate(ITEMS, "2", per_page=50)) == list(range(51, 61))


def test_an_empty_list_gives_one_empty_page():
    page = paginate([], "7")

    assert (page.number, list(page), page.paginator.num_pages) == (1, [], 1)
    assert not page.has_next()


def test_a_queryset_is_paginated_in_the_database(db):
    queryset = ContentType.objects.order_by("pk")
    total = queryset.count()

    page = paginate(queryset, "2", per_page=3)

    assert [ct.pk for ct in page] == list(queryset.values_list("pk", flat=True)[3:6])
    assert page.paginator.count == total


def test_query_without_page_keeps_other_parameters_ready_for_a_page_number():
    request = RequestFactory().get("/people/", {"q": "Zoë & co", "page": "3", "role": ["a", "b"]})

    assert query_without_page(request) == "q=Zo%C3%AB+%26+co&role=a&role=b&"


def test_query_without_page_is_empty_when_only_page_was_given():
    assert query_without_page(RequestFactory().get("/people/?page=2")) == ""
    assert query_without_page(RequestFactory().get("/people/")) == ""
