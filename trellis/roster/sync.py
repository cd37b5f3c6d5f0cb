"""Match parsed roster rows to the people of one district and preview or write the changes.

Rows are handled in batches: each batch prefetches the users, memberships and profiles it needs
(by e-mail and by source id) in a handful of queries, decides every change in Python, and — when
writing — saves them with bulk operations in one transaction. The same code previews (a dry run
writes nothing) and applies, so the preview is exactly what applying would do.

People are matched by source id (in this district) first, then by e-mail. Users are global:
someone who also belongs to another district keeps their name and e-mail, and nobody's password
is ever touched; new people get an unusable password until they set one.
"""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from trellis.accounts.models import User
from trellis.core.csvio import RowError
from trellis.districts.models import District, Membership, Role, School
from trellis.growth.models import EducatorProfile
from trellis.roster.models import PREVIEW_LIMIT
from trellis.roster.parsing import PersonRow, SchoolRow

BATCH_SIZE = 1000
MAX_NOTICES = 50
KEEP = object()  # the row names no school: memberships keep theirs
PROFILE_FIELDS = ("position", "years_experience", "subjects", "grade_bands", "source_id")
# What matching and identity changes read of a user (the rest of the row is never needed).
USER_FIELDS = ("email", "full_name", "is_staff", "is_superuser", "is_platform_admin")


def unusable_password() -> str:
    """Like make_password(None), many times faster: new people join by setting a password."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class SyncReport:
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    preview: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"creates": [], "updates": [], "deactivations": [], "schools": []}
    )
    new_user_ids: list[int] = field(default_factory=list)

    def sample(self, kind: str, entry: dict[str, Any]) -> None:
        if len(self.preview[kind]) < PREVIEW_LIMIT:
            self.preview[kind].append(entry)

    def notice(self, text: str) -> None:
        if len(self.notices) < MAX_NOTICES:
            self.notices.append(text)


class SchoolPlan:
    """The district's schools matched to the file's, by source id then name; missing ones planned.

    When writing, new schools are created and changed ones saved up front; in a dry run the
    planned schools are unsaved objects, so memberships compare as "changing school".
    """

    def __init__(self, district: District, rows: list[SchoolRow], report: SyncReport) -> None:
        self.district = district
        existing = list(School.objects.filter(district=district))
        self.by_source = {s.source_id: s for s in existing if s.source_id}
        self.by_name = {s.name.lower(): s for s in existing}
        self.new: list[School] = []
        self.changed: list[School] = []
        for row in rows:
            self._plan(row, report)

    def _plan(self, row: SchoolRow, report: SyncReport) -> None:
        by_source = self.by_source.get(row.source_id) if row.source_id else None
        school = by_source or self.by_name.get(row.name.lower())
        if school is None:
            school = School(district=self.district, name=row.name, source_id=row.source_id)
            self.new.append(school)
            report.counts["schools_created"] += 1
            report.sample("schools", {"name": row.name, "change": "create"})
        else:
            changes = []
            if row.source_id and school.source_id != row.source_id:
                school.source_id = row.source_id
                changes.append("source_id")
            taken = self.by_name.get(row.name.lower())
            # Only the SIS's own id proves a rename; a name typed in a CSV matches loosely.
            if by_source and school.name != row.name and (taken is None or taken is school):
                school.name = row.name
                changes.append("name")
            if changes:
                self.changed.append(school)
                report.counts["schools_updated"] += 1
                report.sample("schools", {"name": school.name, "change": ", ".join(changes)})
        if school.source_id:
            self.by_source[school.source_id] = school
        self.by_name[row.name.lower()] = school

    def save(self) -> None:
        now = timezone.now()
        School.objects.bulk_create(self.new)
        for school in self.changed:
            school.updated_at = now
        School.objects.bulk_update(self.changed, ["name", "source_id", "updated_at"])

    def target(self, row: PersonRow) -> Any:
        if row.school is None:
            return KEEP
        school = self.by_source.get(row.school_source_id) if row.school_source_id else None
        return school or self.by_name.get(row.school.lower())


class RosterSync:
    def __init__(
        self,
        *,
        district: District,
        actor: User | None,
        schools: list[SchoolRow],
        write: bool,
        full_sync: bool,
    ) -> None:
        self.district, self.actor, self.write, self.full_sync = district, actor, write, full_sync
        self.report = SyncReport()
        self.schools = SchoolPlan(district, schools, self.report)
        self.claimed: dict[int, int] = {}  # user id → the row that matched them
        self.in_file: set[int] = set()  # people on rows that could not be applied
        self.now = timezone.now()

    def run(
        self,
        people: list[PersonRow],
        *,
        invalid_keys: list[tuple[str, str]],
        on_batch: Callable[[int], None] = lambda done: None,
    ) -> SyncReport:
        if self.write:
            with transaction.atomic():
                self.schools.save()
        done = 0
        for batch in chunks(people, BATCH_SIZE):
            if self.write:
                with transaction.atomic():
                    self._batch(batch)
            else:
                self._batch(batch)
            done += len(batch)
            on_batch(done)
        if self.full_sync:
            self._deactivate_missing(invalid_keys)
        return self.report

    def conflicts(
        self, people: list[PersonRow], *, on_batch: Callable[[int], None] = lambda done: None
    ) -> list[RowError]:
        """Only the matching, for rows that cannot be applied: much cheaper than a full preview."""
        done = 0
        for batch in chunks(people, BATCH_SIZE):
            by_source, by_email = self._lookups(batch)
            for row in batch:
                self._match(row, by_source, by_email)
            done += len(batch)
            on_batch(done)
        self.claimed.clear()
        return self.report.errors

    # --- one batch ------------------------------------------------------------------------------

    def _lookups(self, rows: Sequence[PersonRow]) -> tuple[dict[str, User], dict[str, User]]:
        source_ids = [row.source_id for row in rows if row.source_id]
        by_source = {
            profile.source_id: profile.user
            for profile in EducatorProfile.objects.filter(
                district=self.district, source_id__in=source_ids
            )
            .select_related("user")
            .only("source_id", *(f"user__{name}" for name in USER_FIELDS))
            .order_by()
        }
        by_email = {
            user.email.lower(): user
            for user in User.objects.annotate(email_key=Lower("email"))
            .filter(email_key__in=[row.email for row in rows])
            .only(*USER_FIELDS)
            .order_by()
        }
        return by_source, by_email

    def _batch(self, rows: Sequence[PersonRow]) -> None:
        district = self.district
        by_source, by_email = self._lookups(rows)
        matches = [(row, self._match(row, by_source, by_email)) for row in rows]
        user_ids = [user.pk for _row, user in matches if isinstance(user, User)]
        profiles = {
            p.user_id: p
            for p in EducatorProfile.objects.filter(district=district, user_id__in=user_ids)
            .only("user_id", *PROFILE_FIELDS)
            .order_by()
        }
        memberships: dict[int, dict[str, Membership]] = defaultdict(dict)
        for membership in (
            Membership.objects.filter(district=district, user_id__in=user_ids)
            .only("user_id", "role", "school_id", "is_active")
            .order_by()
        ):
            memberships[membership.user_id][membership.role] = membership
        shared = set(
            Membership.objects.filter(user_id__in=user_ids)
            .exclude(district=district)
            .values_list("user_id", flat=True)
        )
        changes = _Changes()
        for row, user in matches:
            if user is None:
                self._plan_newcomer(row, changes)
            elif user is not False:
                self._plan_person(row, user, profiles, memberships, shared, changes)
        if self.write:
            changes.save(self.now, district.pk)
            self.report.new_user_ids.extend(user.pk for user in changes.new_users)

    def _match(
        self, row: PersonRow, by_source: dict[str, User], by_email: dict[str, User]
    ) -> User | bool | None:
        """The matching user, None for a new person, False when the row conflicts (an error)."""
        via_source = by_source.get(row.source_id) if row.source_id else None
        via_email = by_email.get(row.email)
        if via_source and via_email and via_source.pk != via_email.pk:
            self.in_file.update((via_source.pk, via_email.pk))  # a full sync keeps them
            return self._reject(
                row,
                "email",
                f"{row.email} belongs to another person than source_id {row.source_id} "
                f"({via_source.email}).",
            )
        user = via_source or via_email
        if user is not None:
            if user.pk in self.claimed:
                return self._reject(
                    row, "email", f"This is the same person as on row {self.claimed[user.pk]}."
                )
            self.claimed[user.pk] = row.row
        return user

    def _reject(self, row: PersonRow, column: str, message: str) -> bool:
        self.report.errors.append(RowError(row.row, column, message))
        return False

    def _plan_newcomer(self, row: PersonRow, changes: _Changes) -> None:
        """Someone Trellis does not know yet: their rows are built once their account exists."""
        counts = self.report.counts
        counts["created"] += 1
        counts["new_accounts"] += 1
        self.report.sample("creates", _created_entry(row))
        if self.write:
            target = self.schools.target(row)
            changes.newcomers.append((row, None if target is KEEP or target is None else target.pk))

    def _plan_person(
        self,
        row: PersonRow,
        user: User,
        profiles: dict[int, EducatorProfile],
        memberships: dict[int, dict[str, Membership]],
        shared: set[int],
        changes: _Changes,
    ) -> None:
        held = memberships.get(user.pk, {})
        changed = self._plan_identity(row, user, shared, changes)
        changed += self._plan_memberships(row, user, held, changes)
        changed += self._plan_profile(row, user, profiles.get(user.pk), changes)
        counts = self.report.counts
        if not held:  # they have an account (another district, or no roles): new here
            counts["created"] += 1
            self.report.sample("creates", _created_entry(row))
        elif changed:
            counts["updated"] += 1
            self.report.sample("updates", {"row": row.row, "email": row.email, "changes": changed})
        else:
            counts["unchanged"] += 1

    def _plan_identity(
        self, row: PersonRow, user: User, shared: set[int], changes: _Changes
    ) -> list[str]:
        wanted = {}
        if row.email != user.email.lower():
            wanted["email"] = row.email
        if row.full_name and row.full_name != user.full_name:
            wanted["full_name"] = row.full_name
        if not wanted:
            return []
        if user.pk in shared or user.is_staff or user.is_superuser or user.is_platform_admin:
            kept = " and ".join({"email": "e-mail", "full_name": "name"}[name] for name in wanted)
            self.report.notice(
                f"Row {row.row}: {user.email} also uses Trellis outside this district, so their "
                f"{kept} {'were' if len(wanted) > 1 else 'was'} kept."
            )
            return []
        for name, value in wanted.items():
            setattr(user, name, value)
        changes.users.append(user)
        return list(wanted)

    def _plan_memberships(
        self, row: PersonRow, user: User, held: dict[str, Membership], changes: _Changes
    ) -> list[str]:
        target = self.schools.target(row)
        named = target is not KEEP and target is not None
        school_id = target.pk if named else None
        # A school the preview would create has no id yet: every membership moves to it.
        moves_to_new_school = named and target.pk is None
        if target is KEEP:  # a new role sits at the school of the person's other roles
            school_id = next((m.school_id for m in held.values() if m.school_id), None)
        changed: list[str] = []
        for role in row.roles:
            membership = held.get(role)
            if membership is None:
                changes.memberships_new.append(
                    Membership(
                        user_id=user.pk,
                        district_id=self.district.pk,
                        role=role,
                        school_id=school_id,
                    )
                )
                changed.append(f"+{role}")
                continue
            dirty = False
            if not membership.is_active:
                membership.is_active = dirty = True
                self.report.counts["reactivated"] += 1
                changed.append(f"+{role}")
            if target is not KEEP and (membership.school_id != school_id or moves_to_new_school):
                membership.school_id = school_id
                dirty = True
                if "school" not in changed:
                    changed.append("school")
            if dirty:
                changes.memberships.append(membership)
        if self.full_sync:
            for role, membership in held.items():
                if role in row.roles or not membership.is_active:
                    continue
                if self._is_actor(user) and role == Role.DISTRICT_ADMIN:
                    self.report.notice("Your own district-admin role was kept.")
                    continue
                membership.is_active = False
                changes.memberships.append(membership)
                changed.append(f"-{role}")
        return changed

    def _plan_profile(
        self, row: PersonRow, user: User, profile: EducatorProfile | None, changes: _Changes
    ) -> list[str]:
        if profile is None:
            changes.profiles_new.append(_new_profile(row, user.pk, self.district.pk))
            return ["profile"]
        wanted = {
            "position": row.position,
            "years_experience": row.years_experience,
            "subjects": list(row.subjects) if row.subjects is not None else None,
            "grade_bands": list(row.grade_bands) if row.grade_bands is not None else None,
            "source_id": row.source_id or None,
        }
        changed = [
            name
            for name, value in wanted.items()
            if value is not None and getattr(profile, name) != value
        ]
        for name in changed:
            setattr(profile, name, wanted[name])
        if changed:
            changes.profiles.append(profile)
        return changed

    def _is_actor(self, user: User) -> bool:
        return self.actor is not None and user.pk == self.actor.pk

    # --- full sync ------------------------------------------------------------------------------

    def _deactivate_missing(self, invalid_keys: list[tuple[str, str]]) -> None:
        """Deactivate the memberships of everyone in the district who is not in the file."""
        keep = set(self.claimed) | self.in_file | self._users_of(invalid_keys)
        if self.actor is not None:
            keep.add(self.actor.pk)
        active = Membership.objects.filter(district=self.district, is_active=True).values_list(
            "pk", "user_id"
        )
        missing = [
            (pk, user_id) for pk, user_id in active.order_by("user_id") if user_id not in keep
        ]
        people = list(dict.fromkeys(user_id for _pk, user_id in missing))
        self.report.counts["deactivated"] = len(people)
        for person in User.objects.filter(pk__in=people[:PREVIEW_LIMIT]).order_by("email"):
            self.report.sample(
                "deactivations", {"email": person.email, "full_name": person.full_name}
            )
        if (
            self.actor is not None
            and self.actor.pk not in self.claimed
            and Membership.objects.filter(
                district=self.district, user=self.actor, is_active=True
            ).exists()
        ):
            self.report.notice(
                f"You ({self.actor.email}) are not in the file; your access was kept."
            )
        if self.write:
            with transaction.atomic():
                for batch in chunks([pk for pk, _user_id in missing], 500):
                    Membership.objects.filter(pk__in=batch).update(
                        is_active=False, updated_at=self.now
                    )

    def _users_of(self, keys: list[tuple[str, str]]) -> set[int]:
        """Ids of the people on invalid rows: they are in the file, so they stay."""
        found: set[int] = set()
        emails = [email for email, _source in keys if email]
        source_ids = [source for _email, source in keys if source]
        for batch in chunks(emails, 500):
            found.update(
                User.objects.annotate(email_key=Lower("email"))
                .filter(email_key__in=batch)
                .values_list("pk", flat=True)
            )
        for batch in chunks(source_ids, 500):
            found.update(
                EducatorProfile.objects.filter(
                    district=self.district, source_id__in=batch
                ).values_list("user_id", flat=True)
            )
        return found


def _created_entry(row: PersonRow) -> dict[str, Any]:
    return {
        "row": row.row,
        "email": row.email,
        "full_name": row.full_name,
        "roles": list(row.roles),
        "school": row.school or "",
    }


def _new_profile(row: PersonRow, user_id: int, district_id: int) -> EducatorProfile:
    return EducatorProfile(
        user_id=user_id,
        district_id=district_id,
        position=row.position or "teacher",
        years_experience=row.years_experience or 0,
        subjects=list(row.subjects or ()),
        grade_bands=list(row.grade_bands or ()),
        source_id=row.source_id,
    )


@dataclass
class _Changes:
    """What one batch will write."""

    newcomers: list[tuple[PersonRow, int | None]] = field(default_factory=list)  # (row, school)
    new_users: list[User] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    memberships_new: list[Membership] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    profiles_new: list[EducatorProfile] = field(default_factory=list)
    profiles: list[EducatorProfile] = field(default_factory=list)

    def save(self, now: Any, district_id: int) -> None:
        self.new_users = [
            User(email=row.email, full_name=row.full_name, password=unusable_password())
            for row, _school in self.newcomers
        ]
        User.objects.bulk_create(self.new_users)
        for (row, school_id), user in zip(self.newcomers, self.new_users, strict=True):
            self.memberships_new.extend(
                Membership(user_id=user.pk, district_id=district_id, role=role, school_id=school_id)
                for role in row.roles
            )
            self.profiles_new.append(_new_profile(row, user.pk, district_id))
        User.objects.bulk_update(self.users, ["email", "full_name"])
        Membership.objects.bulk_create(self.memberships_new)
        for membership in self.memberships:
            membership.updated_at = now
        Membership.objects.bulk_update(self.memberships, ["is_active", "school", "updated_at"])
        EducatorProfile.objects.bulk_create(self.profiles_new)
        for profile in self.profiles:
            profile.updated_at = now
        EducatorProfile.objects.bulk_update(self.profiles, [*PROFILE_FIELDS, "updated_at"])
