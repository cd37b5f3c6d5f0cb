"""Authoring micro-credential definitions: create one (with its first draft version), edit the
draft's fields and image, publish it (the published version is frozen), start a new version,
retire and reinstate. Parts and rubric criteria: services/definition_parts.py."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.microcredentials.models import (
    DefinitionVersion,
    MicroCredential,
    RequirementPart,
    RubricCriterion,
)
from trellis.microcredentials.services.definition_fields import (
    UNITS,
    VERSION_FIELDS,
    FieldProblem,
    check_version_fields,
    raise_first,
)

MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
}


def require_author(access: DistrictAccess) -> None:
    if not access.can(Perm.MANAGE_MICRO_CREDENTIALS):
        raise PermissionDenied(
            "Only the district's micro-credential authors may change definitions."
        )


def own(access: DistrictAccess, micro_credential: MicroCredential) -> None:
    if micro_credential.district_id != access.district.pk:
        raise Http404("No such micro-credential.")


def locked_draft(access: DistrictAccess, version: DefinitionVersion) -> DefinitionVersion:
    """The version, locked, if the caller may write it: an author, same district, still a draft."""
    require_author(access)
    version = (
        DefinitionVersion.objects.select_for_update()
        .select_related("micro_credential")
        .get(pk=version.pk)
    )
    own(access, version.micro_credential)
    if version.is_frozen:
        raise ConflictError(
            "version_frozen",
            f"Version {version.number} of “{version.title}” is "
            f"{version.get_status_display().lower()}, so it is frozen: start a new version to "
            "change it.",
        )
    return version


def _unique_slug(district: Any, title: str) -> str:
    base = (slugify(title) or "micro-credential")[:70].strip("-") or "micro-credential"
    taken = set(
        MicroCredential.objects.filter(district=district, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def current_fields(version: DefinitionVersion) -> dict[str, Any]:
    """The version's fields as check_version_fields takes them (defaults for partial edits)."""
    fields = {name: getattr(version, name) for name in VERSION_FIELDS}
    fields["competencies"] = list(version.competencies.all())
    fields["prerequisites"] = list(version.prerequisites.all())
    return fields


def prerequisite_cycle(micro_credential: MicroCredential, prerequisites: list[Any]) -> bool:
    """Would requiring `prerequisites` for `micro_credential` close a loop? Edges come from the
    published versions of the district (and this one), walked in memory: one query."""
    through = DefinitionVersion.prerequisites.through
    edges: dict[int, set[int]] = defaultdict(set)
    for owner, required in through.objects.filter(
        definitionversion__micro_credential__district_id=micro_credential.district_id,
        definitionversion__status=DefinitionVersion.Status.PUBLISHED,
    ).values_list("definitionversion__micro_credential_id", "microcredential_id"):
        edges[owner].add(required)
    stack = [p.pk for p in prerequisites]
    seen: set[int] = set()
    while stack:
        pk = stack.pop()
        if pk == micro_credential.pk:
            return True
        if pk not in seen:
            seen.add(pk)
            stack.extend(edges[pk])
    return False


def _check_prerequisites(micro_credential: MicroCredential, clean: dict[str, Any]) -> None:
    if prerequisite_cycle(micro_credential, clean["prerequisites"]):
        raise DomainError(
            "prerequisite_cycle",
            "A micro-credential cannot require itself, directly or through its prerequisites.",
            details={"field": "prerequisites"},
        )


def _write(version: DefinitionVersion, clean: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in clean.items():
        if name in ("competencies", "prerequisites"):
            continue
        if getattr(version, name) != value:
            setattr(version, name, value)
            changed.append(name)
    return changed


def _set_relations(version: DefinitionVersion, clean: dict[str, Any]) -> list[str]:
    changed = []
    for name in ("competencies", "prerequisites"):
        related = getattr(version, name)
        if set(related.values_list("pk", flat=True)) != {obj.pk for obj in clean[name]}:
            related.set(clean[name])
            changed.append(name)
    return changed


@transaction.atomic
def create_micro_credential(
    *, access: DistrictAccess, actor: Any, slug: str = "", **fields: Any
) -> DefinitionVersion:
    """A new micro-credential with its first draft version; returns the version. The slug comes
    from the title unless given (then it must be free)."""
    require_author(access)
    clean, problems = check_version_fields(
        access.district, fields, defaults={"credit_unit": "clock_hour"}
    )
    raise_first(problems)
    if slug:
        wanted = slugify(slug)[:80]
        if not wanted:
            raise DomainError(
                "bad_slug", "The short name needs letters or digits.", details={"field": "slug"}
            )
        if MicroCredential.objects.filter(district=access.district, slug=wanted).exists():
            raise ConflictError(
                "slug_taken",
                f"The district already has a micro-credential named “{wanted}”.",
                details={"field": "slug"},
            )
        slug = wanted
    else:
        slug = _unique_slug(access.district, clean["title"])
    user = actor if getattr(actor, "is_authenticated", False) else None
    micro_credential = MicroCredential.objects.create(
        district=access.district, slug=slug, created_by=user
    )
    version = DefinitionVersion(micro_credential=micro_credential, number=1, created_by=user)
    _write(version, clean)
    version.save()
    _set_relations(version, clean)
    audit.record(
        action="micro_credential.created",
        summary=f"Created the micro-credential “{version.title}”",
        actor=actor,
        district=access.district,
        target=micro_credential,
        data={"slug": slug},
    )
    return version


@transaction.atomic
def update_version(
    *, access: DistrictAccess, actor: Any, version: DefinitionVersion, **fields: Any
) -> DefinitionVersion:
    """Change some or all fields of a draft version (VERSION_FIELDS); the others stay."""
    version = locked_draft(access, version)
    current = current_fields(version)
    clean, problems = check_version_fields(
        access.district,
        fields,
        defaults=current,
        keep_competencies={item.pk for item in current["competencies"]},
    )
    raise_first(problems)
    _check_prerequisites(version.micro_credential, clean)
    changed = _write(version, clean)
    if changed:
        version.save()
    changed += _set_relations(version, clean)
    if changed:
        audit.record(
            action="micro_credential.version_edited",
            summary=f"Edited the draft of “{version.title}” (version {version.number})",
            actor=actor,
            district=access.district,
            target=version.micro_credential,
            data={"version": version.number, "changed": changed},
        )
    return version


def sniff_image(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of a PNG or JPEG upload, judged by its first bytes."""
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise DomainError(
            "image_too_large",
            f"The image is {upload.size / 1048576:.1f} MB; at most 2 MB.",
            details={"field": "image"},
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, kind in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    raise DomainError(
        "bad_image",
        "The image must be a PNG or JPEG file (judged by its content, not its name).",
        details={"field": "image"},
    )


@transaction.atomic
def set_image(
    *, access: DistrictAccess, actor: Any, version: DefinitionVersion, upload: UploadedFile | None
) -> DefinitionVersion:
    """Replace the draft's image (None removes it)."""
    version = locked_draft(access, version)
    if upload is None:
        if not version.image:
            return version
        version.image = ""
    else:
        extension, _type = sniff_image(upload)
        version.image.save(f"{version.micro_credential.slug}.{extension}", upload, save=False)
    version.save(update_fields=["image", "updated_at"])
    audit.record(
        action="micro_credential.image_changed",
        summary=f"{'Changed' if upload else 'Removed'} the image of “{version.title}”",
        actor=actor,
        district=access.district,
        target=version.micro_credential,
        data={"version": version.number},
    )
    return version


def publish_problems(version: DefinitionVersion) -> list[FieldProblem]:
    """What stops this draft from being published ([] when nothing does)."""
    problems = []

    def need(field: str, code: str, message: str) -> None:
        problems.append(FieldProblem(field, code, message))

    if not version.title.strip():
        need("title", "title_required", "Give it a title.")
    if not version.issuer_name.strip():
        need("issuer_name", "issuer_required", "Name the issuing organisation.")
    if not version.key_method.strip():
        need("key_method", "key_method_required", "Describe the key method.")
    if not version.competencies.exists():
        need("competencies", "competency_required", "Align it to at least one competency.")
    if version.credit_unit not in UNITS:
        need("credit_unit", "bad_credit_unit", f"Choose a known credit unit ({', '.join(UNITS)}).")
    parts = list(version.parts.all().prefetch_related("criteria"))
    if not parts:
        need("parts", "part_required", "Add at least one part to submit.")
    for part in parts:
        if not part.criteria.all():
            need(
                "parts",
                "criterion_required",
                f"Part {part.position} (“{part.title}”) needs at least one rubric criterion.",
            )
    return problems


@transaction.atomic
def publish_version(
    *, access: DistrictAccess, actor: Any, version: DefinitionVersion
) -> DefinitionVersion:
    version = locked_draft(access, version)
    micro_credential = MicroCredential.objects.select_for_update().get(
        pk=version.micro_credential_id
    )
    if micro_credential.status == MicroCredential.Status.RETIRED:
        raise ConflictError(
            "retired",
            f"“{version.title}” is retired: reinstate it before publishing a new version.",
        )
    problems = publish_problems(version)
    if problems:
        raise DomainError(
            "cannot_publish",
            "Before publishing: " + " ".join(p.message for p in problems),
            details={"problems": [p.message for p in problems]},
        )
    if prerequisite_cycle(micro_credential, list(version.prerequisites.all())):
        raise DomainError(
            "prerequisite_cycle",
            "A micro-credential cannot require itself, directly or through its prerequisites.",
            details={"field": "prerequisites"},
        )
    superseded = DefinitionVersion.objects.filter(
        micro_credential=micro_credential, status=DefinitionVersion.Status.PUBLISHED
    ).update(status=DefinitionVersion.Status.SUPERSEDED, updated_at=timezone.now())
    version.status = DefinitionVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at", "updated_at"])
    micro_credential.status = MicroCredential.Status.PUBLISHED
    micro_credential.save(update_fields=["status", "updated_at"])
    audit.record(
        action="micro_credential.published",
        summary=f"Published version {version.number} of “{version.title}”",
        actor=actor,
        district=access.district,
        target=micro_credential,
        data={"version": version.number, "superseded": superseded},
    )
    return version


def latest_published(micro_credential: MicroCredential) -> DefinitionVersion | None:
    return (
        micro_credential.versions.filter(status=DefinitionVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def empty_draft(micro_credential: MicroCredential, actor: Any) -> DefinitionVersion:
    """A draft numbered after the last version; refuses a second draft."""
    if micro_credential.versions.filter(status=DefinitionVersion.Status.DRAFT).exists():
        raise ConflictError(
            "draft_exists",
            "There is already a draft version: edit it or publish it first.",
        )
    number = (micro_credential.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return DefinitionVersion(
        micro_credential=micro_credential,
        number=number,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def new_version(
    *, access: DistrictAccess, actor: Any, micro_credential: MicroCredential
) -> DefinitionVersion:
    """A draft copying the latest published version: fields, competencies, prerequisites,
    parts and criteria."""
    require_author(access)
    own(access, micro_credential)
    micro_credential = MicroCredential.objects.select_for_update().get(pk=micro_credential.pk)
    source = latest_published(micro_credential)
    if source is None:
        raise ConflictError(
            "nothing_published", "There is no published version to start a new version from."
        )
    draft = empty_draft(micro_credential, actor)
    for name in VERSION_FIELDS:
        if name not in ("competencies", "prerequisites"):
            setattr(draft, name, getattr(source, name))
    draft.image = source.image.name if source.image else ""
    draft.save()
    draft.competencies.set(source.competencies.all())
    draft.prerequisites.set(source.prerequisites.all())
    for part in source.parts.prefetch_related("criteria"):
        copy = RequirementPart.objects.create(
            version=draft,
            position=part.position,
            kind=part.kind,
            title=part.title,
            prompt=part.prompt,
            required=part.required,
            accepted_types=list(part.accepted_types),
            max_files=part.max_files,
            max_words=part.max_words,
        )
        RubricCriterion.objects.bulk_create(
            RubricCriterion(part=copy, position=c.position, name=c.name, levels=c.levels)
            for c in part.criteria.all()
        )
    audit.record(
        action="micro_credential.version_started",
        summary=f"Started version {draft.number} of “{draft.title}”",
        actor=actor,
        district=access.district,
        target=micro_credential,
        data={"version": draft.number, "copied_from": source.number},
    )
    return draft


def _set_status(
    access: DistrictAccess, actor: Any, micro_credential: MicroCredential, *, retire: bool
) -> MicroCredential:
    require_author(access)
    own(access, micro_credential)
    micro_credential = MicroCredential.objects.select_for_update().get(pk=micro_credential.pk)
    version = latest_published(micro_credential)
    title = version.title if version else micro_credential.slug
    want_from = MicroCredential.Status.PUBLISHED if retire else MicroCredential.Status.RETIRED
    if micro_credential.status != want_from:
        raise ConflictError(
            "bad_transition",
            f"“{title}” is {micro_credential.get_status_display().lower()}: only a "
            f"{'published' if retire else 'retired'} micro-credential can be "
            f"{'retired' if retire else 'reinstated'}.",
        )
    micro_credential.status = (
        MicroCredential.Status.RETIRED if retire else MicroCredential.Status.PUBLISHED
    )
    micro_credential.save(update_fields=["status", "updated_at"])
    audit.record(
        action="micro_credential.retired" if retire else "micro_credential.reinstated",
        summary=f"{'Retired' if retire else 'Reinstated'} “{title}”",
        actor=actor,
        district=access.district,
        target=micro_credential,
    )
    return micro_credential


@transaction.atomic
def retire(
    *, access: DistrictAccess, actor: Any, micro_credential: MicroCredential
) -> MicroCredential:
    """Nobody can start it any more; earned ones and open submissions keep their version."""
    return _set_status(access, actor, micro_credential, retire=True)


@transaction.atomic
def reinstate(
    *, access: DistrictAccess, actor: Any, micro_credential: MicroCredential
) -> MicroCredential:
    return _set_status(access, actor, micro_credential, retire=False)


__all__ = [
    "create_micro_credential",
    "new_version",
    "publish_problems",
    "publish_version",
    "reinstate",
    "retire",
    "set_image",
    "update_version",
]
