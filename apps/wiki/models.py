"""Models of the wiki (维基协作): pages with full-text revisions, moderated public proposals, and the search index.

A page belongs to the jurisdiction that maintains it (``region_code``: the city ``110100`` or a district); its staff
edit it directly and its moderators decide the public's proposals. Links to case causes, checklists, checklist items and
categories are many-to-many by string reference, so each of those rows reads its pages as ``obj.wiki_pages``.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

CITY_CODE = "110100"


class Page(models.Model):
    class Kind(models.TextChoices):
        LAW = "law", _("laws and regulations (法律法规)")
        CAUSE = "cause", _("case cause explained (案由解读)")
        STANDARD = "standard", _("inspection standard (检查标准)")
        PROCEDURE = "procedure", _("procedure (处置流程)")
        FAQ = "faq", _("frequently asked question (常见问题)")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        STAFF = "staff", _("staff only")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    visibility = models.CharField(_("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC, db_index=True)
    region_code = models.CharField(_("maintained by (region code)"), max_length=12, default=CITY_CODE, db_index=True,
                                   help_text=_("The jurisdiction whose staff edit the page and whose moderators decide proposals."))
    current = models.ForeignKey("wiki.Revision", verbose_name=_("current revision"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    causes = models.ManyToManyField("cases.CaseCause", verbose_name=_("case causes"), blank=True, related_name="wiki_pages")
    checklists = models.ManyToManyField("inspection.Checklist", verbose_name=_("checklists"), blank=True, related_name="wiki_pages")
    checklist_items = models.ManyToManyField("inspection.ChecklistItem", verbose_name=_("checklist items"), blank=True,
                                             related_name="wiki_pages")
    categories = models.ManyToManyField("gbcp.Category", verbose_name=_("categories"), blank=True, related_name="wiki_pages")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wiki page")
        verbose_name_plural = _("wiki pages")
        ordering = ["kind", "title", "id"]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC


class Revision(models.Model):
    """One full text of a page; never changed after it is written."""

    page = models.ForeignKey(Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["page", "-number"]
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="wiki_revision_page_number")]

    def __str__(self):
        return f"{self.page_id} r{self.number}"


class Proposal(models.Model):
    """An edit proposed by a signed-in citizen or merchant (or a staff member of another jurisdiction)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting moderation")
        ACCEPTED = "accepted", _("accepted")
        CHANGED = "changed", _("accepted with changes")
        REFUSED = "refused", _("refused")

    page = models.ForeignKey(Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="proposals")
    base = models.ForeignKey(Revision, verbose_name=_("based on revision"), null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    reason = models.CharField(_("reason"), max_length=500)
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("moderator"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    decision_reason = models.CharField(_("reason of the decision"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    revision = models.ForeignKey(Revision, verbose_name=_("resulting revision"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposed edit")
        verbose_name_plural = _("proposed edits")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.page} · {self.get_status_display()}"

    @property
    def region_code(self) -> str:
        return self.page.region_code


class PageIndex(models.Model):
    """The page's current title and text segmented by jieba (search mode): space-separated terms.

    On SQLite the FTS5 table ``wiki_fts`` (rowid = page id) holds the same terms; on PostgreSQL a GIN index over
    ``to_tsvector('simple', terms)`` serves the match. Both are written in the transaction that writes the revision.
    """

    page = models.OneToOneField(Page, on_delete=models.CASCADE, primary_key=True, related_name="index")
    terms = models.TextField(blank=True)
    length = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")


class PageTerm(models.Model):
    """Term frequency of one term in one page: the document frequencies of BM25 come from here on both backends."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=64, db_index=True)
    tf = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "term"], name="wiki_pageterm_page_term")]
