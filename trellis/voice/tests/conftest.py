"""Fixtures of the voice tests: Northfield's adopted framework and a helper to ask for topics."""

from __future__ import annotations

import pytest

from trellis.growth.tests.factories import BuiltFramework, build_framework
from trellis.voice import services
from trellis.voice.models import TopicRequest


@pytest.fixture
def adopted(cast) -> BuiltFramework:
    """Northfield's adopted framework: competencies 1.1, 1.2, 2.1, 2.2."""
    return build_framework(cast.district_a)


@pytest.fixture
def ask(cast):
    """Create a topic request through the service, as `user` of their district."""

    def make(user, title: str, *, competency=None, details: str = "Because it helps.", **kw):
        return services.create_request(
            access=cast.access(user),
            actor=user,
            title=title,
            details=details,
            competency=competency,
            **kw,
        )

    return make


@pytest.fixture
def upvote(cast):
    def make(user, topic_request: TopicRequest) -> bool:
        return services.vote(access=cast.access(user), actor=user, topic_request=topic_request)

    return make
