"""Evidence files and the append-only Merkle log (存证固证): evidence, log entries, signed tree heads."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ImmutableError(Exception):
    """A row of the evidence log was about to be changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError(f"{self.model._meta.label} rows are append-only")

    def delete(self):
        raise ImmutableError(f"{self.model._meta.label} rows are append-only")


class AppendOnly(models.Model):
    """Rows are inserted once and never updated or deleted (the PostgreSQL trigger says the same)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError(f"{self._meta.label} {self.pk} is append-only")
        kwargs.pop("force_update", None)
        super().save(*args, force_insert=True, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(f"{self._meta.label} {self.pk} is append-only")


class Evidence(AppendOnly):
    """An evidence file (证据) with where, when, by what and by whom it was captured; never changed after recording."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        VIDEO = "video", _("video")
        DOCUMENT = "document", _("document")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    media_type = models.CharField(_("media type"), max_length=64)
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    subject_type = models.ForeignKey(ContentType, verbose_name=_("subject type"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True, db_index=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    region_code = models.CharField(_("region code"), max_length=12, blank=True, db_index=True)
    captured_at = models.DateTimeField(_("captured at"), null=True, blank=True)
    point = models.PointField(_("location"), srid=4326, null=True, blank=True)
    device = models.CharField(_("device"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence (证据)")
        verbose_name_plural = _("evidence")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="evidence_subject_idx")]

    def __str__(self):
        return f"{self.pk} {self.original_name or self.file.name}"


class LogEntry(AppendOnly):
    """One leaf of the Merkle log (存证日志条目): the canonical entry bytes of one evidence and their leaf hash."""

    index = models.PositiveBigIntegerField(_("leaf index"), unique=True)
    evidence = models.OneToOneField(Evidence, verbose_name=_("evidence"), on_delete=models.PROTECT, related_name="log_entry")
    entry = models.TextField(_("entry (canonical JSON)"))
    leaf_hash = models.CharField(_("leaf hash"), max_length=64)

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["index"]

    def __str__(self):
        return f"#{self.index} {self.leaf_hash[:12]}"


class TreeHead(AppendOnly):
    """A signed tree head (签名树头): size and root of the log at one moment, signed with Ed25519."""

    tree_size = models.PositiveBigIntegerField(_("tree size"), db_index=True)
    root_hash = models.CharField(_("root hash"), max_length=64)
    timestamp = models.BigIntegerField(_("timestamp (ms since 1970, UTC)"))
    signature = models.CharField(_("signature (base64)"), max_length=128)
    key_id = models.CharField(_("key id"), max_length=64)

    class Meta:
        verbose_name = _("signed tree head")
        verbose_name_plural = _("signed tree heads")
        ordering = ["-tree_size", "-id"]

    def __str__(self):
        return f"{self.tree_size} {self.root_hash[:12]}"


class LogState(models.Model):
    """The one row that serialises appends (locked FOR UPDATE) and keeps the tree's right edge."""

    size = models.PositiveBigIntegerField(_("tree size"), default=0)
    frontier = models.JSONField(_("right edge of the tree"), default=list)

    class Meta:
        verbose_name = _("log state")
        verbose_name_plural = _("log state")

    def __str__(self):
        return f"log of {self.size}"


NODE_LEVEL_SHIFT = 48  # key = level << 48 | index: one integer primary key, one index lookup per node


class LogNode(AppendOnly):
    """A stored subtree hash (子树哈希): root of the complete aligned block of 2^level leaves starting at index × 2^level.

    Written as leaves are appended (level 0 is the leaf hash itself), so a proof reads O(log n) rows.
    """

    key = models.BigIntegerField(_("level and index"), primary_key=True)
    hash = models.BinaryField(_("hash"), max_length=32)

    class Meta:
        verbose_name = _("log subtree hash")
        verbose_name_plural = _("log subtree hashes")

    @staticmethod
    def key_for(level: int, index: int) -> int:
        return (level << NODE_LEVEL_SHIFT) | index

    @property
    def level(self) -> int:
        return self.key >> NODE_LEVEL_SHIFT

    @property
    def index(self) -> int:
        return self.key & ((1 << NODE_LEVEL_SHIFT) - 1)

    def __str__(self):
        return f"level {self.level} #{self.index}"


class SigningKey(models.Model):
    """A published public key of the log (日志签名公钥): kept published after it is retired, so old heads stay verifiable."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active (signs new tree heads)")
        RETIRED = "retired", _("retired (verifies old tree heads only)")

    key_id = models.CharField(_("key id"), max_length=64, unique=True)
    algorithm = models.CharField(_("algorithm"), max_length=16, default="Ed25519")
    public_key_pem = models.TextField(_("public key (PEM)"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    valid_from = models.DateTimeField(_("signs from"))
    valid_until = models.DateTimeField(_("signs until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("published signing key")
        verbose_name_plural = _("published signing keys")
        ordering = ["valid_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=models.Q(status="active"), name="evidence_one_active_key"),
        ]

    def __str__(self):
        return f"{self.key_id[:16]} ({self.status})"


class UploadKey(models.Model):
    """An idempotency key (幂等键) of an evidence upload sent by a phone that may retry (the offline field client).

    Scoped to the user who sent it; a retry with the key gets the first answer, never a second evidence file.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("response status"), default=0)
    response_body = models.JSONField(_("response body"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("evidence upload idempotency key")
        verbose_name_plural = _("evidence upload idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="evidence_upload_key_unique_per_user")]

    def __str__(self):
        return f"{self.user_id} {self.key}"
