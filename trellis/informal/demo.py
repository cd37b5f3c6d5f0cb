"""Demo informal learning: district rules with a cap, a few months of entries for the demo
educators (videos, podcasts, a book, colleague visits, an edcamp), and the "Pine Valley video
library" integration with statements that became entries.

Deterministic (random.Random seeded per educator) and idempotent: rules and the integration
are created once; entries only for educators with none; statements only when the integration
has sent none. Dates are relative to today."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction

from trellis.credit.queries.renewal import district_today
from trellis.districts.models import Membership, Role
from trellis.districts.queries import access_for
from trellis.growth import queries as growth_queries
from trellis.informal.models import InformalEntry, InformalRules, XapiIntegration, XapiStatement
from trellis.informal.services import entries, statements

INTEGRATION_NAME = "Pine Valley video library"
# Demo credentials only (documented in docs/informal-learning.md so the endpoint can be tried);
# real integrations get a random secret shown once.
DEMO_SECRET = "demo-secret-pine-valley-videos"  # noqa: S105 (a documented demo credential)
MAX_EDUCATORS = 8

ENTRIES = (
    (
        "Hinge questions in 10 minutes",
        "video",
        15,
        "https://www.youtube.com/watch?v=hinge-questions",
        "I will plan one hinge question for Thursday's fractions lesson.",
    ),
    (
        "Cult of Pedagogy: retrieval practice",
        "podcast",
        45,
        "https://www.cultofpedagogy.com/pod/",
        "Brain dumps at the start of class are quick; trying them next week.",
    ),
    (
        "Visited Ms. Chen's number talks",
        "colleague_visit",
        50,
        "",
        "Her wait time is longer than mine; students explained more.",
    ),
    (
        "Reading: Embedded Formative Assessment, ch. 3",
        "book",
        90,
        "",
        "Mini whiteboards for all-student response, starting Monday.",
    ),
    (
        "Pine Valley Edcamp",
        "edcamp",
        240,
        "",
        "Session on student discourse; swapped sentence frames with two colleagues.",
    ),
    ("#MTBoS chat on math talks", "social", 30, "https://twitter.com/search?q=%23MTBoS", ""),
    (
        "Article: Feedback that moves learning forward",
        "article",
        20,
        "https://www.ascd.org/el/articles/feedback-for-learning",
        "Comment-only feedback on the next quiz.",
    ),
    (
        "Sentence frames for English learners",
        "video",
        25,
        "https://www.youtube.com/watch?v=sentence-frames",
        "Adding frames to the ratio unit's discussion task.",
    ),
)

VIDEOS = (
    (
        "https://videos.pinevalley.example/v/think-pair-share",
        "Think-pair-share that works",
        "PT12M30S",
    ),
    ("https://videos.pinevalley.example/v/exit-tickets", "Exit tickets in 3 questions", "PT18M"),
    ("https://videos.pinevalley.example/v/wait-time", "Wait time: the 3-second rule", "PT9M"),
)


def _educators(district: Any) -> list[Any]:
    rows = (
        Membership.objects.filter(district=district, role=Role.EDUCATOR, is_active=True)
        .select_related("user")
        .order_by("user__email")
    )
    seen: dict[int, Any] = {}
    for row in rows:
        seen.setdefault(row.user_id, row.user)
    return list(seen.values())[:MAX_EDUCATORS]


def _rules(district: Any) -> None:
    InformalRules.objects.get_or_create(
        district=district,
        defaults={
            "counts_toward_credit": True,
            "yearly_cap_hours": Decimal(10),
            "entry_cap_hours": Decimal(3),
            "requires_reflection": True,
            "counted_formats": [],
        },
    )


def _entries(district: Any, educator: Any, today: dt.date, competencies: list) -> None:
    if InformalEntry.objects.filter(district=district, educator=educator).exists():
        return
    access = access_for(educator, district)
    if access is None:
        return
    rng = random.Random(f"informal:{educator.email}")  # noqa: S311 (demo data, not security)
    chosen = rng.sample(ENTRIES, k=5)
    days = sorted(rng.sample(range(3, 150), k=len(chosen)), reverse=True)
    for (title, kind, minutes, url, reflection), days_ago in zip(chosen, days, strict=True):
        entries.create_entry(
            access=access,
            actor=educator,
            title=title,
            url=url,
            minutes=minutes,
            format=kind,
            learned_on=today - dt.timedelta(days=days_ago),
            competency=rng.choice(competencies).public_id if competencies else None,
            reflection=reflection,
        )


def _integration(district: Any) -> XapiIntegration:
    found = XapiIntegration.objects.filter(district=district, name=INTEGRATION_NAME).first()
    if found is not None:
        return found
    return XapiIntegration.objects.create(
        district=district,
        name=INTEGRATION_NAME,
        username=f"xapi-demo-{district.slug}"[:40],
        secret_hash=hashlib.sha256(DEMO_SECRET.encode()).hexdigest(),
    )


def _statements(integration: XapiIntegration, educators: list[Any], today: dt.date) -> None:
    if XapiStatement.objects.filter(integration=integration).exists():
        return
    batch = []
    for n, educator in enumerate(educators[:3]):
        for m, (url, title, duration) in enumerate(VIDEOS):
            when = dt.datetime.combine(
                today - dt.timedelta(days=7 * (m + 1) + n), dt.time(16, 0), dt.UTC
            )
            batch.append(
                {
                    "id": str(
                        uuid.uuid5(
                            uuid.NAMESPACE_URL, f"{integration.username}/{educator.email}/{m}"
                        )
                    ),
                    "actor": {
                        "objectType": "Agent",
                        "name": str(educator),
                        "mbox": f"mailto:{educator.email}",
                    },
                    "verb": {
                        "id": "http://adlnet.gov/expapi/verbs/completed",
                        "display": {"en-US": "completed"},
                    },
                    "object": {
                        "objectType": "Activity",
                        "id": url,
                        "definition": {
                            "name": {"en-US": title},
                            "type": "https://w3id.org/xapi/video/activity-type/video",
                        },
                    },
                    "result": {"duration": duration, "completion": True},
                    "timestamp": when.isoformat().replace("+00:00", "Z"),
                }
            )
    # A statement for someone who is not an educator here: stored, but no entry.
    batch.append(
        {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{integration.username}/visitor")),
            "actor": {"mbox": "mailto:visitor@example.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": VIDEOS[0][0]},
            "result": {"duration": "PT5M"},
        }
    )
    statements.store_statements(
        integration=integration, payload=batch, base_url="https://trellis.example/"
    )


@transaction.atomic
def seed_informal(district: Any) -> None:
    today = district_today(district)
    framework = growth_queries.adopted_framework(district)
    competencies = list(growth_queries.competency_map(framework).competencies) if framework else []
    _rules(district)
    educators = _educators(district)
    for educator in educators:
        _entries(district, educator, today, competencies)
    _statements(_integration(district), educators, today)
