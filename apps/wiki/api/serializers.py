"""Serializers of the wiki API: pages with their current text (raw Markdown and sanitised HTML), revisions, proposals."""
from rest_framework import serializers

from apps.wiki import markup
from apps.wiki.models import Page, Proposal, Revision
from apps.wiki.policy import WIKI


class WikiPageListSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    revision = serializers.IntegerField(source="current.number", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Page
        fields = ["slug", "kind", "kind_label", "title", "visibility", "region_code", "revision", "updated_at"]


class WikiRevisionSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()
    moderator = serializers.StringRelatedField()

    class Meta:
        model = Revision
        fields = ["number", "title", "reason", "author", "moderator", "created_at"]


class WikiLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


def _links(rows, label) -> list[dict]:
    return [{"id": r.pk, "label": label(r)} for r in rows]


class WikiPageDetailSerializer(WikiPageListSerializer):
    body = serializers.CharField(source="current.body", read_only=True, default="")
    html = serializers.SerializerMethodField()
    current = WikiRevisionSerializer(read_only=True)
    links = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(WikiPageListSerializer.Meta):
        fields = WikiPageListSerializer.Meta.fields + ["body", "html", "current", "links", "actions"]

    def get_html(self, page) -> str:
        """The Markdown rendered and sanitised (nh3 allow-list): safe to put in a page as is."""
        return markup.render(page.current.body) if page.current_id else ""

    def get_links(self, page) -> dict[str, list[dict]]:
        links = self.context["links"]
        return {
            "causes": _links(links["causes"], lambda c: f"{c.code} {c.name}"),
            "checklists": _links(links["checklists"], lambda c: c.name),
            "checklist_items": _links(links["checklist_items"], lambda i: f"{i.checklist.name} · {i.text}"),
            "categories": _links(links["categories"], lambda c: f"{c.code} {c.name}"),
        }

    def get_actions(self, page) -> dict[str, bool]:
        user = self.context["request"].user
        return {"edit": WIKI.allows(user, "edit", page), "propose": bool(user.is_authenticated)}


class WikiSearchHitSerializer(serializers.Serializer):
    page = WikiPageListSerializer()
    score = serializers.FloatField()
    snippet = serializers.CharField(help_text="HTML: the text escaped, search terms in <mark>.")


class WikiDiffRowSerializer(serializers.Serializer):
    kind = serializers.CharField()
    left_no = serializers.IntegerField(allow_null=True)
    left = serializers.CharField()
    right_no = serializers.IntegerField(allow_null=True)
    right = serializers.CharField()


class WikiDiffLineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()


class WikiDiffSerializer(serializers.Serializer):
    a = serializers.IntegerField()
    b = serializers.IntegerField()
    mode = serializers.CharField()
    rows = WikiDiffRowSerializer(many=True, required=False)
    lines = WikiDiffLineSerializer(many=True, required=False)


class WikiEditInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=100_000)
    reason = serializers.CharField(max_length=500)
    base = serializers.IntegerField(required=False, allow_null=True, help_text="The revision the edit started from (409 if the page moved on).")


class WikiProposeInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=100_000)
    reason = serializers.CharField(max_length=500)


class WikiModerateInSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "change", "refuse"])
    reason = serializers.CharField(max_length=500)
    title = serializers.CharField(max_length=200, required=False, default="")
    body = serializers.CharField(max_length=100_000, required=False, default="")


class WikiProposalSerializer(serializers.ModelSerializer):
    page = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    proposer = serializers.StringRelatedField()
    moderator = serializers.StringRelatedField()
    base = serializers.IntegerField(source="base.number", read_only=True, default=None, allow_null=True)
    revision = serializers.IntegerField(source="revision.number", read_only=True, default=None, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "page", "base", "title", "body", "reason", "proposer", "status", "status_label", "moderator", "decision_reason",
                  "decided_at", "revision", "created_at", "actions"]

    def get_actions(self, proposal) -> dict[str, bool]:
        return {"moderate": WIKI.allows(self.context["request"].user, "moderate", proposal)}
