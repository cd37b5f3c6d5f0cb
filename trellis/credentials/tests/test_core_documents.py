"""Unsigned OB 3.0 credentials and VC 2.0 presentations built from specs (pure core)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from zoneinfo import ZoneInfo

import pytest

from trellis.credentials.core.canon import canonize_safely
from trellis.credentials.core.documents import (
    ACHIEVEMENT_CREDENTIAL_SCHEMA,
    build_credential,
    build_presentation,
    date_time_z,
    hashed_email,
)
from trellis.credentials.core.errors import CredentialError, UnsafeDocument
from trellis.credentials.core.loader import OB_V3, OB_V3_EXTENSIONS, VC_V2
from trellis.credentials.core.schema import validate
from trellis.credentials.core.specs import (
    AchievementSpec,
    AlignmentSpec,
    CredentialSpec,
    EvidenceSpec,
    IssuerSpec,
    ResultDescriptionSpec,
    ResultSpec,
    StatusEntrySpec,
    SubjectSpec,
)

ISSUER_DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
BASE = "https://trellis.example/northfield"
LEVEL_1 = f"{BASE}/mc/feedback/levels/emerging"
LEVEL_2 = f"{BASE}/mc/feedback/levels/proficient"
CRITERION = f"{BASE}/mc/feedback/criteria/1"


def minimal_spec(**changes) -> CredentialSpec:
    spec = CredentialSpec(
        id=f"{BASE}/credentials/6f1c",
        issuer=IssuerSpec(id=ISSUER_DID, name="Northfield Public Schools"),
        subject=SubjectSpec(email="alice@northfield.test", salt="s4lt"),
        achievement=AchievementSpec(
            id=f"{BASE}/mc/feedback",
            name="Effective Feedback",
            description="Gives students timely, specific feedback.",
            criteria_narrative="Submit two annotated samples of feedback.",
        ),
        valid_from=dt.datetime(2025, 1, 15, 10, 0, tzinfo=dt.UTC),
    )
    return dataclasses.replace(spec, **changes)


def full_spec() -> CredentialSpec:
    achievement = AchievementSpec(
        id=f"{BASE}/mc/feedback",
        name="Effective Feedback",
        description="Gives students timely, specific feedback.",
        criteria_narrative="Submit two annotated samples of feedback.",
        criteria_url=f"{BASE}/mc/feedback#criteria",
        image_url=f"{BASE}/mc/feedback/image.png",
        alignments=(
            AlignmentSpec(
                target_name="Assessment",
                target_url="https://case.example/uri/6b2f",
                target_code="InTASC.6",
                target_description="The teacher uses multiple methods of assessment.",
                target_framework="InTASC Model Core Teaching Standards",
                target_type="CFItem",
            ),
        ),
        result_descriptions=(
            ResultDescriptionSpec(
                id=CRITERION,
                name="Quality of feedback",
                levels=(
                    (LEVEL_1, "Emerging", "Feedback is general."),
                    (LEVEL_2, "Proficient", "Feedback is specific and actionable."),
                ),
                required_level=LEVEL_2,
            ),
        ),
        tags=("assessment", "feedback", "assessment", " "),
        version="2",
        human_code="FB-1",
        credit_hours=2.5,
    )
    return CredentialSpec(
        id=f"{BASE}/credentials/6f1c",
        issuer=IssuerSpec(
            id=ISSUER_DID,
            name="Northfield Public Schools",
            url="https://northfield.test",
            email="pd@northfield.test",
            image_url="https://northfield.test/logo.png",
            description="Professional learning office.",
        ),
        subject=SubjectSpec(email="alice@northfield.test", salt="s4lt"),
        achievement=achievement,
        valid_from=dt.datetime(2025, 1, 15, 5, 0, tzinfo=ZoneInfo("America/New_York")),
        valid_until=dt.datetime(2030, 1, 15, 10, 0, tzinfo=dt.UTC),
        awarded=dt.datetime(2025, 1, 14, 16, 30, 5, 999, tzinfo=dt.UTC),
        name="Effective Feedback — Alice",
        results=(ResultSpec(result_description=CRITERION, achieved_level=LEVEL_2, value="3"),),
        evidence=(
            EvidenceSpec(
                id=f"{BASE}/evidence/91",
                name="Annotated sample",
                narrative="Two samples with rubric notes.",
                description="A PDF of student work.",
                genre="Student work",
            ),
        ),
        status=(StatusEntrySpec(status_list_credential=f"{BASE}/status/1", index=94567),),
        credit_hours_earned=2.5,
    )


def test_full_credential_has_every_field_exactly():
    document = build_credential(full_spec())
    salted = hashlib.sha256(b"alice@northfield.tests4lt").hexdigest()
    assert document == {
        "@context": [VC_V2, OB_V3, OB_V3_EXTENSIONS],
        "id": f"{BASE}/credentials/6f1c",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Effective Feedback — Alice",
        "issuer": {
            "id": ISSUER_DID,
            "type": ["Profile"],
            "name": "Northfield Public Schools",
            "url": "https://northfield.test",
            "email": "pd@northfield.test",
            "image": {"id": "https://northfield.test/logo.png", "type": "Image"},
            "description": "Professional learning office.",
        },
        "validFrom": "2025-01-15T10:00:00Z",
        "validUntil": "2030-01-15T10:00:00Z",
        "awardedDate": "2025-01-14T16:30:05Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "hashed": True,
                    "identityHash": f"sha256${salted}",
                    "identityType": "emailAddress",
                    "salt": "s4lt",
                }
            ],
            "achievement": {
                "id": f"{BASE}/mc/feedback",
                "type": ["Achievement"],
                "achievementType": "MicroCredential",
                "name": "Effective Feedback",
                "description": "Gives students timely, specific feedback.",
                "criteria": {
                    "id": f"{BASE}/mc/feedback#criteria",
                    "narrative": "Submit two annotated samples of feedback.",
                },
                "image": {"id": f"{BASE}/mc/feedback/image.png", "type": "Image"},
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "Assessment",
                        "targetUrl": "https://case.example/uri/6b2f",
                        "targetCode": "InTASC.6",
                        "targetDescription": "The teacher uses multiple methods of assessment.",
                        "targetFramework": "InTASC Model Core Teaching Standards",
                        "targetType": "CFItem",
                    }
                ],
                "resultDescription": [
                    {
                        "id": CRITERION,
                        "type": ["ResultDescription"],
                        "name": "Quality of feedback",
                        "resultType": "RubricCriterionLevel",
                        "requiredLevel": LEVEL_2,
                        "rubricCriterionLevel": [
                            {
                                "id": LEVEL_1,
                                "type": ["RubricCriterionLevel"],
                                "name": "Emerging",
                                "description": "Feedback is general.",
                            },
                            {
                                "id": LEVEL_2,
                                "type": ["RubricCriterionLevel"],
                                "name": "Proficient",
                                "description": "Feedback is specific and actionable.",
                            },
                        ],
                    }
                ],
                "tag": ["assessment", "feedback"],
                "version": "2",
                "humanCode": "FB-1",
                "creditsAvailable": 2.5,
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": CRITERION,
                    "achievedLevel": LEVEL_2,
                    "status": "Completed",
                    "value": "3",
                }
            ],
            "creditsEarned": 2.5,
        },
        "evidence": [
            {
                "type": ["Evidence"],
                "id": f"{BASE}/evidence/91",
                "name": "Annotated sample",
                "narrative": "Two samples with rubric notes.",
                "description": "A PDF of student work.",
                "genre": "Student work",
            }
        ],
        "credentialSchema": [
            {"id": ACHIEVEMENT_CREDENTIAL_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}
        ],
        "credentialStatus": {
            "id": f"{BASE}/status/1#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": f"{BASE}/status/1",
        },
    }


def test_full_credential_canonicalizes_in_safe_mode():
    nquads = canonize_safely(build_credential(full_spec()))
    assert "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#creditsAvailable>" in nquads
    assert '<https://www.w3.org/ns/credentials/status#statusListIndex> "94567"' in nquads


def test_full_and_minimal_credentials_pass_the_ob30_schema():
    assert validate(build_credential(full_spec())) == []
    assert validate(build_credential(minimal_spec())) == []


def test_minimal_credential_omits_empty_optional_fields():
    document = build_credential(minimal_spec())
    assert list(document) == [
        "@context",
        "id",
        "type",
        "name",
        "issuer",
        "validFrom",
        "credentialSubject",
        "credentialSchema",
    ]
    assert document["name"] == "Effective Feedback"
    assert document["issuer"] == {
        "id": ISSUER_DID,
        "type": ["Profile"],
        "name": "Northfield Public Schools",
    }
    assert list(document["credentialSubject"]) == ["type", "identifier", "achievement"]
    assert document["credentialSubject"]["achievement"] == {
        "id": f"{BASE}/mc/feedback",
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": "Effective Feedback",
        "description": "Gives students timely, specific feedback.",
        "criteria": {"narrative": "Submit two annotated samples of feedback."},
    }
    assert _empty_values(document) == []
    canonize_safely(document)


def _empty_values(value, path="") -> list[str]:
    if value in ("", [], {}, None):
        return [path]
    if isinstance(value, dict):
        return [
            found for key, item in value.items() for found in _empty_values(item, f"{path}.{key}")
        ]
    if isinstance(value, list):
        return [
            found for i, item in enumerate(value) for found in _empty_values(item, f"{path}[{i}]")
        ]
    return []


def test_known_subject_id_replaces_the_hashed_identifier():
    spec = minimal_spec(subject=SubjectSpec(email="alice@northfield.test", id="did:key:z6Mkalice"))
    subject = build_credential(spec)["credentialSubject"]
    assert subject["id"] == "did:key:z6Mkalice"
    assert "identifier" not in subject


def test_hashed_email_is_lower_cased_and_salted():
    spec = minimal_spec(subject=SubjectSpec(email=" Alice@Northfield.TEST ", salt="pepper"))
    identity = build_credential(spec)["credentialSubject"]["identifier"][0]
    assert identity["identityHash"] == hashed_email("alice@northfield.test", "pepper")
    assert hashed_email("a@b.co", "x") == ("sha256$" + hashlib.sha256(b"a@b.cox").hexdigest())


def test_one_status_entry_is_an_object_two_are_a_list_one_per_purpose():
    entry = StatusEntrySpec(f"{BASE}/status/2", 0, purpose="suspension")
    status = build_credential(minimal_spec(status=(entry,)))["credentialStatus"]
    assert status["id"] == f"{BASE}/status/2#0"
    assert status["statusPurpose"] == "suspension"
    assert status["statusListIndex"] == "0"
    revocation = StatusEntrySpec(f"{BASE}/status/1", 7)
    both = build_credential(minimal_spec(status=(revocation, entry)))["credentialStatus"]
    assert [(e["statusPurpose"], e["statusListIndex"]) for e in both] == [
        ("revocation", "7"),
        ("suspension", "0"),
    ]
    with pytest.raises(CredentialError, match="at most one status entry per purpose"):
        build_credential(
            minimal_spec(status=(entry, StatusEntrySpec(f"{BASE}/status/3", 1, "suspension")))
        )


def test_dropping_the_extensions_context_is_unsafe():
    document = build_credential(minimal_spec())
    document["@context"] = [VC_V2, OB_V3]
    with pytest.raises(UnsafeDocument) as caught:
        canonize_safely(document)
    assert caught.value.terms == ["1EdTechJsonSchemaValidator2019"]


def test_date_time_z_converts_to_utc_and_refuses_naive():
    offset = dt.timezone(dt.timedelta(hours=-7))
    assert date_time_z(dt.datetime(2025, 3, 1, 23, 59, 59, tzinfo=offset)) == (
        "2025-03-02T06:59:59Z"
    )
    with pytest.raises(CredentialError, match="validFrom has no time zone"):
        build_credential(minimal_spec(valid_from=dt.datetime(2025, 1, 1)))  # noqa: DTZ001 (the point)
    with pytest.raises(CredentialError, match="must be a date and time"):
        date_time_z(dt.date(2025, 1, 1), "awardedDate")  # type: ignore[arg-type]


def _achievement(**changes) -> AchievementSpec:
    return dataclasses.replace(minimal_spec().achievement, **changes)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "not a url"}, "The credential id must be an absolute URI"),
        ({"id": "/credentials/1"}, "The credential id must be an absolute URI"),
        (
            {"issuer": IssuerSpec(id="northfield", name="N")},
            "The issuer id must be an absolute URI",
        ),
        ({"issuer": IssuerSpec(id=ISSUER_DID, name="  ")}, "The issuer needs a name"),
        (
            {"issuer": IssuerSpec(id=ISSUER_DID, name="N", url="northfield.test")},
            "The issuer url must be an absolute http",
        ),
        (
            {"issuer": IssuerSpec(id=ISSUER_DID, name="N", email="nobody")},
            "The issuer email is not a valid e-mail address",
        ),
        (
            {"issuer": IssuerSpec(id=ISSUER_DID, name="N", image_url="logo.png")},
            "The issuer image must be an absolute http",
        ),
        ({"subject": SubjectSpec(email="")}, "The learner needs an id or an e-mail address"),
        ({"subject": SubjectSpec(email="alice")}, "is not a valid e-mail address"),
        ({"subject": SubjectSpec(email="a@b.co")}, "A hashed e-mail identifier needs a salt"),
        ({"subject": SubjectSpec(email="", id="alice")}, "The learner's id must be"),
        ({"achievement": _achievement(name=" ")}, "The achievement needs a name"),
        ({"achievement": _achievement(description="")}, "The achievement needs a description"),
        ({"achievement": _achievement(criteria_narrative="")}, "The achievement needs criteria"),
        ({"achievement": _achievement(id="feedback")}, "The achievement id must be"),
        (
            {"achievement": _achievement(criteria_url="criteria.html")},
            "The criteria URL must be an absolute http",
        ),
        (
            {"achievement": _achievement(achievement_type="Trophy")},
            "'Trophy' is not an Open Badges achievement type",
        ),
        (
            {"achievement": _achievement(alignments=(AlignmentSpec("", "https://x.test/1"),))},
            "An alignment needs a target name",
        ),
        (
            {"achievement": _achievement(alignments=(AlignmentSpec("Std", "ftp://x.test/1"),))},
            "The alignment URL for 'Std' must be an absolute http",
        ),
        (
            {
                "achievement": _achievement(
                    alignments=(AlignmentSpec("Std", "https://x.test/1", target_type="Skill"),)
                )
            },
            "'Skill' is not an Open Badges alignment target type",
        ),
        (
            {
                "achievement": _achievement(
                    result_descriptions=(
                        ResultDescriptionSpec(id=CRITERION, name="Q", required_level=LEVEL_1),
                    )
                )
            },
            "The required level of 'Q' is not one of its levels",
        ),
        (
            {"achievement": _achievement(credit_hours=-1)},
            "creditsAvailable must be a number of hours, 0 or more",
        ),
        (
            {"results": (ResultSpec(result_description=CRITERION),)},
            "which is not one of the achievement's result descriptions",
        ),
        ({"evidence": (EvidenceSpec(),)}, "An evidence item needs a URL, a name"),
        (
            {"status": (StatusEntrySpec("https://x.test/status/1", -1),)},
            "A status list index must be a whole number",
        ),
        (
            {"status": (StatusEntrySpec("https://x.test/status/1#list", 1),)},
            "must not have a fragment",
        ),
        (
            {"status": (StatusEntrySpec("https://x.test/status/1", 1, purpose="deleted"),)},
            "'deleted' is not a status purpose",
        ),
        (
            {"valid_until": dt.datetime(2024, 1, 1, tzinfo=dt.UTC)},
            "validUntil must be after its validFrom",
        ),
        ({"credit_hours_earned": float("nan")}, "creditsEarned must be a finite number"),
    ],
)
def test_bad_specs_are_refused_with_a_clear_message(changes, message):
    with pytest.raises(CredentialError, match=re.escape(message)):
        build_credential(minimal_spec(**changes))


def test_presentation_wraps_credentials_and_merges_contexts():
    credential = build_credential(minimal_spec())
    presentation = build_presentation([credential], holder="did:key:z6Mkalice")
    assert presentation == {
        "@context": [VC_V2, OB_V3, OB_V3_EXTENSIONS],
        "type": ["VerifiablePresentation"],
        "holder": "did:key:z6Mkalice",
        "verifiableCredential": [credential],
    }
    assert validate(presentation, "vp") == []
    canonize_safely(presentation)


def test_presentation_without_holder_and_with_an_id():
    credential = build_credential(minimal_spec())
    presentation = build_presentation((credential,), id="urn:uuid:3f2b6c1e-0000-4000-8000-1")
    assert presentation["id"] == "urn:uuid:3f2b6c1e-0000-4000-8000-1"
    assert "holder" not in presentation


@pytest.mark.parametrize(
    ("credentials", "holder", "message"),
    [
        ([], None, "A presentation needs at least one credential"),
        (["eyJ.x.y"], None, "Credential 1 in the presentation is not a JSON object"),
        ([{"type": ["Thing"]}], None, "Credential 1 in the presentation is not of type"),
        ([{"type": ["VerifiableCredential"]}], "alice", "The presentation holder must be"),
    ],
)
def test_bad_presentations_are_refused(credentials, holder, message):
    with pytest.raises(CredentialError, match=message):
        build_presentation(credentials, holder=holder)
