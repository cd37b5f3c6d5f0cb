"""JSON Schema validation against the bundled OB 3.0, CLR 2.0 and VC 2.0 schemas (pure core)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from referencing.exceptions import Unresolvable

from trellis.credentials.core import schema as schema_module
from trellis.credentials.core.errors import CredentialError
from trellis.credentials.core.schema import SchemaIssue, schema_for, validate

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "standards" / "samples"


def sample(name: str) -> dict:
    """A 1EdTech sample from ../shared; the test is skipped when ../shared is absent."""
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return json.loads(path.read_text(encoding="utf-8"))


VALID_SAMPLES = [
    ("ob30/simple.json", "achievementcredential"),
    ("ob30/complete.json", "achievementcredential"),
    ("ob30/simple-did-key-method.json", "achievementcredential"),
    ("ob30/simple-multiple-proofs.json", "achievementcredential"),
    ("ob30/bitstring-credential-status-revoked.json", "achievementcredential"),
    ("ob30/endorsement-valid.json", "vc"),
    ("clr20/simple.json", "clrcredential"),
]

VC11 = SchemaIssue(
    "@context[0]", '"https://www.w3.org/2018/credentials/v1" is not one of the allowed values.'
)
NO_VALID_FROM = SchemaIssue("validFrom", "The required field 'validFrom' is missing.")
NESTED_CONTEXT = "Does not match any of the allowed shapes."

# Deliberately invalid (VC 1.1-era) samples and exactly what is wrong with each.
INVALID_SAMPLES = [
    ("ob30/simple-eddsa-2022.json", "achievementcredential", [VC11, NO_VALID_FROM]),
    ("ob30/credential-status-revoked.json", "achievementcredential", [VC11, NO_VALID_FROM]),
    (
        "ob30/simple-noproof.json",
        "achievementcredential",
        [
            VC11,
            SchemaIssue(
                "credentialSubject.achievement", "The required field 'achievement' is missing."
            ),
            NO_VALID_FROM,
        ],
    ),
    (
        "clr20/simple-noproof.json",
        "clrcredential",
        [
            VC11,
            SchemaIssue(
                "@context[1]",
                '"https://dc.imsglobal.org/draft/clr/v2p0/context" does not have the expected '
                "form (^https:\\/\\/purl\\.imsglobal\\.org\\/spec\\/clr\\/v2p0\\/context"
                "(-2\\.\\d\\.\\d)*\\.json$).",
            ),
            SchemaIssue("credentialSubject.verifiableCredential[0].@context", NESTED_CONTEXT),
            NO_VALID_FROM,
        ],
    ),
    (
        "clr20/complex.json",
        "clrcredential",
        [
            VC11,
            *[
                SchemaIssue(f"credentialSubject.verifiableCredential[{i}].@context", NESTED_CONTEXT)
                for i in range(6)
            ],
            NO_VALID_FROM,
        ],
    ),
]


@pytest.mark.parametrize(("name", "expected_schema"), VALID_SAMPLES)
def test_valid_1edtech_samples_validate(name, expected_schema):
    document = sample(name)
    assert schema_for(document) == expected_schema
    assert validate(document, expected_schema) == []


@pytest.mark.parametrize(("name", "expected_schema", "issues"), INVALID_SAMPLES)
def test_deliberately_invalid_samples_report_their_issues(name, expected_schema, issues):
    document = sample(name)
    assert schema_for(document) == expected_schema
    assert validate(document, expected_schema) == issues


def test_every_sample_is_classified():
    if not SAMPLES.exists():
        pytest.skip(f"{SAMPLES} is not available")
    on_disk = {f"{p.parent.name}/{p.name}" for p in SAMPLES.glob("*/*.json")}
    named = {name for name, *_ in VALID_SAMPLES} | {name for name, *_ in INVALID_SAMPLES}
    assert on_disk == named


def test_issue_paths_and_messages_are_plain_english():
    document = copy.deepcopy(sample("ob30/simple.json"))
    del document["credentialSubject"]["achievement"]["name"]
    document["credentialSubject"]["achievement"]["criteria"] = "do things"
    document["issuer"]["image"] = {"id": "https://x.test/i.png", "type": "Image", "alt": "x"}
    assert validate(document) == [
        SchemaIssue("credentialSubject.achievement.criteria", "Must be an object, not a string."),
        SchemaIssue("credentialSubject.achievement.name", "The required field 'name' is missing."),
        SchemaIssue("issuer.image", "Fields not allowed here: alt."),
    ]
    assert str(SchemaIssue("", "Must be an object, not an array.")) == (
        "(document): Must be an object, not an array."
    )


def test_not_an_object_at_all():
    assert validate([], "achievementcredential") == [
        SchemaIssue("", "Must be an object, not an array.")
    ]


def test_unknown_schema_name_is_refused():
    with pytest.raises(CredentialError, match="There is no bundled schema called 'ob2'"):
        validate({}, "ob2")


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"type": ["VerifiableCredential", "OpenBadgeCredential"]}, "achievementcredential"),
        ({"type": ["VerifiableCredential", "AchievementCredential"]}, "achievementcredential"),
        ({"type": ["VerifiableCredential", "ClrCredential"]}, "clrcredential"),
        ({"type": ["VerifiableCredential"]}, "vc"),
        ({"type": "VerifiablePresentation"}, "vp"),
        ({"type": ["Profile"]}, "profile"),
        ({"type": ["Thing"]}, None),
        ({}, None),
        ("a.b.c", None),
        (
            {
                "type": ["VerifiableCredential"],
                "credentialSchema": {
                    "id": "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/"
                    "clr_v2p0_clrcredential_schema.json",
                    "type": "1EdTechJsonSchemaValidator2019",
                },
            },
            "clrcredential",
        ),
    ],
)
def test_schema_for(document, expected):
    assert schema_for(document) == expected


def test_registry_never_fetches_an_unbundled_schema():
    resolver = schema_module._registry().resolver()
    with pytest.raises(Unresolvable):
        resolver.lookup("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/other.json")
    bundled = resolver.lookup(schema_module.SCHEMA_IDS["achievementcredential"])
    assert bundled.contents["$id"] == (
        "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
    )


def test_presentation_schema_resolves_the_bundled_credential_schema():
    credential = sample("ob30/simple.json")
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [credential],
    }
    assert validate(presentation, "vp") == []
    presentation["verifiableCredential"] = [{"type": ["VerifiableCredential"]}]
    assert validate(presentation, "vp") == [
        SchemaIssue(f"verifiableCredential[0].{field}", f"The required field '{field}' is missing.")
        for field in ("@context", "credentialSubject", "issuer")
    ]
