"""What Trellis keeps about credentials: each district's issuer profile and signing keys, the
credentials it issued (the signed documents themselves), revocation status lists, bulk
issuance batches, and badges educators imported from elsewhere.

Signed documents are stored exactly as signed; nothing re-serialises them after signing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from trellis.core.models import PublicModel, TimeStampedModel


class JwtAlgorithm(models.TextChoices):
    EDDSA = "EdDSA", "EdDSA (Ed25519)"
    ES256 = "ES256", "ES256 (P-256)"


class IssuerProfile(PublicModel):
    """The issuing organisation of a district's credentials (the OB 3.0 issuer Profile)."""

    district = models.OneToOneField(
        "districts.District", on_delete=models.CASCADE, related_name="issuer_profile"
    )
    name = models.CharField(max_length=200)
    url = models.URLField(blank=True, help_text="The organisation's public web site")
    email = models.EmailField(blank=True, help_text="Contact address shown on credentials")
    image_url = models.URLField(blank=True, help_text="Logo (https URL) shown on credentials")
    description = models.TextField(blank=True)
    issue_for_completions = models.BooleanField(
        default=False, help_text="Also issue a credential for each completed offering"
    )
    issue_for_capstones = models.BooleanField(
        default=True, help_text="Issue a credential when an educator completes a stack"
    )
    suspendable = models.BooleanField(
        default=False,
        help_text=(
            "Give new credentials a second, suspension status entry (credentialStatus becomes a "
            "list, as VC 2.0 allows; the 1EdTech OB 3.0 schema allows only one entry)"
        ),
    )
    jwt_algorithm = models.CharField(
        max_length=10,
        choices=JwtAlgorithm.choices,
        default=JwtAlgorithm.EDDSA,
        help_text="Algorithm of the VC-JWT form of new credentials (ES256 needs a did:web issuer)",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.name


class KeyAlgorithm(models.TextChoices):
    ED25519 = "Ed25519", "Ed25519 (EdDSA)"
    P256 = "P-256", "P-256 (ES256)"


class KeyStatus(models.TextChoices):
    ACTIVE = "active", "Active: signs new credentials"
    RETIRED = "retired", "Retired: still verifies what it signed"
    REVOKED = "revoked", "Revoked: no longer trusted"


class SigningKey(PublicModel):
    """One key pair of an issuer. The private key is encrypted with the key-encryption key from
    the environment; the public key is published (did:key, did:web document, key URL)."""

    issuer = models.ForeignKey(IssuerProfile, on_delete=models.CASCADE, related_name="keys")
    algorithm = models.CharField(max_length=10, choices=KeyAlgorithm.choices)
    public_key_multibase = models.CharField(max_length=120, unique=True)
    encrypted_private_key = models.TextField(help_text="Fernet token; never leaves the server")
    kek_id = models.CharField(max_length=40, help_text="Which key-encryption key sealed it")
    status = models.CharField(max_length=10, choices=KeyStatus.choices, default=KeyStatus.ACTIVE)
    activated_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-activated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "algorithm"],
                condition=Q(status="active"),
                name="one_active_key_per_issuer_algorithm",
            )
        ]


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", "Revocation"
    SUSPENSION = "suspension", "Suspension"


class StatusList(PublicModel):
    """A W3C Bitstring Status List of one issuer. Indexes are handed out in order under a row
    lock; `bits` is the uncompressed bitstring (1 = revoked/suspended)."""

    issuer = models.ForeignKey(IssuerProfile, on_delete=models.CASCADE, related_name="status_lists")
    purpose = models.CharField(max_length=12, choices=StatusPurpose.choices)
    size = models.PositiveIntegerField(default=131072, help_text="Entries (bits) in the list")
    next_index = models.PositiveIntegerField(default=0)
    bits = models.BinaryField(help_text="The uncompressed bitstring")
    signed_credential = models.JSONField(
        null=True, blank=True, help_text="The last signed BitstringStatusListCredential"
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]


class SourceKind(models.TextChoices):
    MICRO_CREDENTIAL = "micro_credential", "Micro-credential"
    CAPSTONE = "capstone", "Stack capstone"
    OFFERING = "offering", "Completed offering"
    API = "api", "Issued through the VC-API"


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", "Valid"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private: only you and your district"
    PUBLIC = "public", "Public: anyone with the link"


class IssuedCredential(PublicModel):
    """An Open Badges 3.0 AchievementCredential this server issued. (source_kind, source_key)
    is unique per district, so a retried or doubled event never issues twice."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="issued_credentials"
    )
    issuer = models.ForeignKey(IssuerProfile, on_delete=models.PROTECT, related_name="credentials")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credentials",
        help_text="Empty when issued through the VC-API to someone outside the district",
    )
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    source_key = models.CharField(max_length=100, help_text="Public id of what earned it")
    achievement_name = models.CharField(max_length=300)
    document = models.JSONField(help_text="The credential with its Data Integrity proof")
    jwt = models.TextField(blank=True, help_text="The same credential secured as a VC-JWT")
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="+")
    revocation_list = models.ForeignKey(
        StatusList, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_index = models.PositiveIntegerField(null=True, blank=True)
    suspension_list = models.ForeignKey(
        StatusList, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    suspension_index = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=CredentialStatus.choices, default=CredentialStatus.ACTIVE
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "source_kind", "source_key"], name="one_credential_per_source"
            ),
            models.UniqueConstraint(
                fields=["revocation_list", "revocation_index"], name="unique_revocation_index"
            ),
            models.UniqueConstraint(
                fields=["suspension_list", "suspension_index"], name="unique_suspension_index"
            ),
        ]
        indexes = [models.Index(fields=["district", "recipient", "-issued_at"])]

    def __str__(self) -> str:
        return self.achievement_name


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class IssuanceBatch(PublicModel):
    """Bulk issuance for a cohort, run by a background task; progress is `done`/`total`."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="issuance_batches"
    )
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    achievement = models.JSONField(
        default=dict, help_text="The AchievementSpec every item is issued for, as JSON"
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class BatchItemState(models.TextChoices):
    PENDING = "pending", "Pending"
    ISSUED = "issued", "Issued"
    FAILED = "failed", "Failed"


class IssuanceBatchItem(TimeStampedModel):
    batch = models.ForeignKey(IssuanceBatch, on_delete=models.CASCADE, related_name="items")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    source_key = models.CharField(max_length=100)
    state = models.CharField(
        max_length=10, choices=BatchItemState.choices, default=BatchItemState.PENDING
    )
    error = models.CharField(max_length=300, blank=True)
    credential = models.ForeignKey(
        IssuedCredential, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "source_kind", "source_key"], name="one_batch_item_per_source"
            )
        ]


class ImportFormat(models.TextChoices):
    OB3_DATA_INTEGRITY = "ob3", "Open Badges 3.0 / VC (Data Integrity proof)"
    VC_JWT = "vc-jwt", "Open Badges 3.0 / VC (VC-JWT)"
    OB2 = "ob2", "Open Badges 2.0 assertion"


class ImportedBadge(PublicModel):
    """A badge an educator earned elsewhere and brought into Trellis, with the verification
    result at import time (re-checked on demand)."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="imported_badges"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_badges"
    )
    format = models.CharField(max_length=10, choices=ImportFormat.choices)
    credential_id = models.CharField(
        max_length=500, blank=True, help_text="The credential's own id, to refuse duplicates"
    )
    document = models.JSONField(help_text="The credential or assertion as received")
    jwt = models.TextField(blank=True)
    issuer_name = models.CharField(max_length=300)
    achievement_name = models.CharField(max_length=300)
    issued_on = models.DateTimeField(null=True, blank=True)
    verified = models.BooleanField(default=False)
    verification = models.JSONField(default=dict, help_text="The itemised verification result")
    verified_at = models.DateTimeField()
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "owner", "credential_id"],
                condition=~Q(credential_id=""),
                name="one_import_per_credential_id",
            )
        ]
