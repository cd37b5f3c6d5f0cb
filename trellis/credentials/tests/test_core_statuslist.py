"""W3C Bitstring Status List: bits, encodedList, the list credential and entry checks."""

from __future__ import annotations

import base64
import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trellis.credentials.core import statuslist
from trellis.credentials.core.canon import canonize_safely
from trellis.credentials.core.errors import CredentialError
from trellis.credentials.tests.core_helpers import sample, shared_path

LIST_URL = "https://trellis.example/status/1"


def entry(index="94567", purpose="revocation", **extra):
    return {
        "id": f"{LIST_URL}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": index,
        "statusListCredential": LIST_URL,
        **extra,
    }


def list_credential(bits, purpose="revocation"):
    return statuslist.status_list_credential(
        id=LIST_URL,
        issuer_id="did:example:issuer",
        purpose=purpose,
        bits=bits,
        valid_from="2026-01-15T00:00:00Z",
    )


def test_bit_zero_is_the_most_significant_bit_of_byte_zero():
    bits = statuslist.new_bits()
    assert len(bits) == 16384
    assert bits == bytes(16384)
    bits = statuslist.set_bit(bits, 0, True)
    assert bits[0] == 0x80
    bits = statuslist.set_bit(bits, 9, True)
    assert bits[1] == 0x40
    assert statuslist.get_bit(bits, 0)
    assert statuslist.get_bit(bits, 9)
    assert not statuslist.get_bit(bits, 1)
    assert statuslist.set_bit(bits, 0, False)[0] == 0x00


@pytest.mark.parametrize("size", [0, -8, 12, 8.0])
def test_bad_sizes_are_refused(size):
    with pytest.raises(CredentialError, match="positive multiple of 8"):
        statuslist.new_bits(size)


def test_too_large_size_is_refused():
    with pytest.raises(CredentialError, match="at most 16 MB"):
        statuslist.new_bits((16 * 1024 * 1024 + 1) * 8)


@pytest.mark.parametrize(
    ("index", "message"),
    [(-1, "outside the list"), (64, "outside"), (True, "whole number"), ("3", "whole number")],
)
def test_bad_indexes_are_refused(index, message):
    with pytest.raises(CredentialError, match=message):
        statuslist.get_bit(bytes(8), index)


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=131071), max_size=50))
def test_encode_decode_round_trip(indexes):
    bits = statuslist.new_bits()
    for index in indexes:
        bits = statuslist.set_bit(bits, index, True)
    encoded = statuslist.encode_list(bits)
    assert encoded.startswith("u")
    assert "=" not in encoded
    decoded = statuslist.decode_list(encoded)
    assert decoded == bits
    assert {i for i in indexes if statuslist.get_bit(decoded, i)} == indexes
    assert statuslist.encode_list(bits) == encoded  # stable (no timestamp in the GZIP header)


def test_an_empty_131072_entry_list_is_small():
    assert len(statuslist.encode_list(statuslist.new_bits())) < 200


def test_1edtech_test_list_revokes_index_23():
    listed = json.loads(shared_path("samples/ob30/bitstring-testlist").read_text("utf-8"))
    bits = statuslist.decode_list(listed["credentialSubject"]["encodedList"])
    assert len(bits) == 16384
    assert [i for i in range(len(bits) * 8) if statuslist.get_bit(bits, i)] == [23]
    revoked = sample("ob30/bitstring-credential-status-revoked.json")
    status = revoked["credentialStatus"]
    assert status["statusListIndex"] == 23  # a number in the sample; tolerated
    assert statuslist.entry_status(status, listed) is True
    assert statuslist.entry_status({**status, "statusListIndex": "22"}, listed) is False


def _encoded(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        ("z" + "abc", "starting with “u”"),
        (None, "starting with “u”"),
        ("u", "not base64url without padding"),
        ("uAB+/", "not base64url without padding"),
        (_encoded(b"plain bytes"), "not GZIP-compressed"),
        (_encoded(gzip.compress(bytes(100), mtime=0)[:20]), "truncated"),
        (_encoded(gzip.compress(b"", mtime=0)), "empty"),
        (_encoded(gzip.compress(bytes(16 * 1024 * 1024 + 1), mtime=0)), "larger than 16 MB"),
    ],
)
def test_bad_encoded_lists_are_refused(encoded, message):
    with pytest.raises(CredentialError, match=message):
        statuslist.decode_list(encoded)


def test_status_list_credential_shape_is_safe_to_sign():
    credential = list_credential(statuslist.set_bit(statuslist.new_bits(), 5, True))
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["credentialSubject"]["id"] == f"{LIST_URL}#list"
    assert credential["credentialSubject"]["type"] == "BitstringStatusList"
    assert credential["credentialSubject"]["statusPurpose"] == "revocation"
    assert credential["issuer"] == "did:example:issuer"
    canonize_safely(credential)  # every term defined by the VC 2.0 context
    with pytest.raises(CredentialError, match="Unknown status purpose 'deleted'"):
        list_credential(statuslist.new_bits(), purpose="deleted")


def test_entry_status():
    bits = statuslist.set_bit(statuslist.new_bits(), 94567, True)
    listed = list_credential(bits)
    assert statuslist.entry_status(entry(), listed) is True
    assert statuslist.entry_status(entry("94566"), listed) is False
    assert statuslist.entry_status(entry(94567), listed) is True


@pytest.mark.parametrize(
    ("status", "listed_purpose", "message"),
    [
        (entry(purpose="suspension"), "revocation", "purpose 'revocation' does not match"),
        (entry("131072"), "revocation", "outside the list"),
        (entry("-1"), "revocation", "not a base-10 number"),
        (entry("0x10"), "revocation", "not a base-10 number"),
        (entry(statusSize=2), "revocation", "one-bit"),
        (
            {**entry(), "type": "StatusList2021Entry"},
            "revocation",
            "not a BitstringStatusListEntry",
        ),
    ],
)
def test_bad_entries_are_refused(status, listed_purpose, message):
    listed = list_credential(statuslist.new_bits(), purpose=listed_purpose)
    with pytest.raises(CredentialError, match=message):
        statuslist.entry_status(status, listed)


def test_a_list_credential_of_another_type_is_refused():
    listed = {**list_credential(statuslist.new_bits()), "type": ["VerifiableCredential"]}
    with pytest.raises(CredentialError, match="not a BitstringStatusListCredential"):
        statuslist.entry_status(entry(), listed)
    listed = {**list_credential(statuslist.new_bits()), "credentialSubject": "x"}
    with pytest.raises(CredentialError, match="no credentialSubject"):
        statuslist.entry_status(entry(), listed)
