"""Issuance under concurrency, proven on PostgreSQL: status-list indexes are never handed out
twice (also when a list fills up mid-race), and one achievement issued from several threads at
once gives one credential.

See trellis/core/tests/concurrency.py for how the threads compete; skipped on SQLite.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.utils import timezone

from trellis.audit.models import AuditEvent
from trellis.core.tests.concurrency import POSTGRES_ONLY, failures, run_together
from trellis.credentials.core import statuslist
from trellis.credentials.models import IssuedCredential, IssuerProfile, StatusList, StatusPurpose
from trellis.credentials.services import issuing, keys, lifecycle, status
from trellis.credentials.tests.test_issuing import ACHIEVEMENT

pytestmark = POSTGRES_ONLY

THREADS = 8


def allocations_per_thread(issuer, count: int):
    def call():
        taken = []
        for _ in range(count):
            with transaction.atomic():
                status_list, index = status.allocate(
                    issuer, StatusPurpose.REVOCATION, now=timezone.now()
                )
            taken.append((status_list.pk, index))
        return taken

    return call


def test_simultaneous_allocations_never_share_an_index(cast):
    issuer = keys.ensure_issuer(cast.district_a)
    keys.active_key(issuer)

    results = run_together([allocations_per_thread(issuer, 5) for _ in range(THREADS)])

    assert failures(results) == []
    taken = [entry for result in results for entry in result]
    assert len(taken) == len(set(taken)) == THREADS * 5
    (only_list,) = StatusList.objects.filter(issuer=issuer)
    assert sorted(index for _, index in taken) == list(range(THREADS * 5))
    assert only_list.next_index == THREADS * 5


def test_a_list_filling_up_mid_race_opens_exactly_one_new_list(cast, settings):
    settings.CREDENTIAL_STATUS_LIST_SIZE = 8
    issuer = keys.ensure_issuer(cast.district_a)
    keys.active_key(issuer)

    results = run_together([allocations_per_thread(issuer, 3) for _ in range(6)])

    assert failures(results) == []
    taken = [entry for result in results for entry in result]
    assert len(set(taken)) == 18
    lists = list(StatusList.objects.filter(issuer=issuer).order_by("created_at", "id"))
    # 18 entries in lists of 8: two full lists and one holding the last two; no list was
    # opened by two threads at once (a list used by few credentials weakens herd privacy).
    assert [(sl.size, sl.next_index) for sl in lists] == [(8, 8), (8, 8), (8, 2)]
    per_list = Counter(list_pk for list_pk, _ in taken)
    assert sorted(per_list.values()) == [2, 8, 8]
    assert all(sl.signed_credential for sl in lists)


def test_the_first_allocations_of_a_new_issuer_open_one_list(cast):
    issuer = keys.ensure_issuer(cast.district_a)
    keys.active_key(issuer)
    assert not StatusList.objects.filter(issuer=issuer).exists()

    results = run_together([allocations_per_thread(issuer, 1) for _ in range(THREADS)])

    assert failures(results) == []
    assert StatusList.objects.filter(issuer=issuer).count() == 1
    assert sorted(result[0][1] for result in results) == list(range(THREADS))


def issuer_call(cast, *, source_key: str, recipient=None):
    def call():
        return issuing.issue_credential(
            district=cast.district_a,
            recipient=recipient or cast.alice,
            source_kind="micro_credential",
            source_key=source_key,
            achievement=ACHIEVEMENT,
            actor=cast.ada,
            notify=False,
        )

    return call


def test_one_achievement_issued_from_several_threads_gives_one_credential(cast):
    # A district that never issued: the threads also race to create the issuer and its key.
    assert not IssuerProfile.objects.filter(district=cast.district_a).exists()

    results = run_together([issuer_call(cast, source_key="mc-42") for _ in range(THREADS)])

    assert failures(results) == []
    (credential,) = IssuedCredential.objects.filter(district=cast.district_a)
    assert {r.pk for r in results} == {credential.pk}
    assert credential.source_key == "mc-42"
    assert AuditEvent.objects.filter(action="credential.issued").count() == 1
    assert IssuerProfile.objects.filter(district=cast.district_a).count() == 1
    assert AuditEvent.objects.filter(action="credential.key_created").count() == 1


def test_different_achievements_issued_at_once_get_distinct_status_entries(cast):
    results = run_together([issuer_call(cast, source_key=f"mc-{n}") for n in range(THREADS)])

    assert failures(results) == []
    credentials = list(IssuedCredential.objects.filter(district=cast.district_a))
    assert len(credentials) == THREADS
    entries = {(c.revocation_list_id, c.revocation_index) for c in credentials}
    assert len(entries) == THREADS
    assert sorted(c.revocation_index for c in credentials) == list(range(THREADS))


def test_issuing_and_revoking_at_once_neither_deadlocks_nor_loses_a_bit(cast):
    # Issuing locks issuer then list; revoking locks credential then list (see the lock order in
    # services/status.py). Half the threads revoke credentials on the open list while the other
    # half issue new ones onto it: every revocation bit must survive the concurrent re-signing.
    issued = [issuer_call(cast, source_key=f"old-{n}")() for n in range(THREADS // 2)]
    admin = cast.access(cast.dana)

    def revoker(credential):
        return lambda: lifecycle.revoke_credential(
            admin, credential.public_id, reason="Issued in error", actor=cast.dana
        )

    calls = [revoker(c) for c in issued]
    calls += [issuer_call(cast, source_key=f"new-{n}") for n in range(THREADS // 2)]
    results = run_together(calls)

    assert failures(results) == []
    (status_list,) = StatusList.objects.filter(purpose=StatusPurpose.REVOCATION)
    bits = bytes(status_list.bits)
    published = status_list.signed_credential["credentialSubject"]["encodedList"]
    assert statuslist.decode_list(published) == bits  # the signed list is the stored one
    revoked = {c.revocation_index for c in issued}
    for credential in IssuedCredential.objects.filter(district=cast.district_a):
        index = credential.revocation_index
        assert statuslist.get_bit(bits, index) == (index in revoked), index
    assert status_list.next_index == THREADS
