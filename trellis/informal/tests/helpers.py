"""Statements and clients shared by the informal-learning tests."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

from django.test import Client

VIDEO = "https://www.youtube.com/watch?v=abc123"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def statement(**overrides: Any) -> dict:
    base = {
        "actor": {"objectType": "Agent", "name": "Alice", "mbox": "mailto:alice@northfield.test"},
        "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
        "object": {
            "objectType": "Activity",
            "id": VIDEO,
            "definition": {
                "name": {"en-US": "Checking for understanding in 5 minutes"},
                "type": "https://w3id.org/xapi/video/activity-type/video",
            },
        },
        "result": {"duration": "PT45M", "completion": True},
        "timestamp": "2026-11-20T15:00:00Z",
    }
    result = copy.deepcopy(base)
    for key, value in overrides.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


class Xapi:
    """A client that speaks to /xapi/ with an integration's Basic credentials."""

    def __init__(self, username: str, secret: str, version: str | None = "1.0.3") -> None:
        token = base64.b64encode(f"{username}:{secret}".encode()).decode()
        headers = {"HTTP_AUTHORIZATION": f"Basic {token}"}
        if version:
            headers["HTTP_X_EXPERIENCE_API_VERSION"] = version
        self.client = Client(**headers)

    def post(self, body: Any, **extra: Any):
        return self.client.post(
            "/xapi/statements", data=json.dumps(body), content_type="application/json", **extra
        )

    def put(self, statement_id: str, body: Any):
        return self.client.put(
            f"/xapi/statements?statementId={statement_id}",
            data=json.dumps(body),
            content_type="application/json",
        )

    def get(self, **params: Any):
        return self.client.get("/xapi/statements", params)
