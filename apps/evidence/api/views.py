"""Evidence API: upload, metadata, file, inclusion proof, bundle; public key, tree heads and consistency proofs for anyone."""
import json

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.evidence import keys, log, selectors, services
from apps.evidence.api import serializers as s
from apps.evidence.bundle import build_bundle, bundle_file_name
from apps.gbcp import idempotency
from apps.gbcp.api.parsers import BoundedFormParser
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.files import send_file


class EvidenceListCreateView(generics.ListAPIView):
    """Evidence in the user's jurisdiction (GET), or upload one file for a subject in it (POST, multipart)."""

    serializer_class = s.EvidenceSerializer
    parser_classes = [MultiPartParser, BoundedFormParser]

    @extend_schema(parameters=[
        OpenApiParameter("kind", str), OpenApiParameter("subject_type", str), OpenApiParameter("subject_id", str),
        OpenApiParameter("q", str, description="file name, or the beginning of a SHA-256"),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        return selectors.evidence_list_for_user(
            user=self.request.user, kind=p.get("kind"), subject_type=p.get("subject_type"), subject_id=p.get("subject_id"), q=p.get("q"),
        )

    @extend_schema(request=s.EvidenceUploadSerializer, responses={201: s.EvidenceSerializer})
    def post(self, request):
        """With an ``Idempotency-Key`` header a retried upload answers the first answer again (``Idempotent-Replayed: true``)."""
        key = idempotency.key_from_request(request)
        code, body, replayed = services.evidence_upload_idempotent(
            user=request.user, key=key, fingerprint=idempotency.request_fingerprint(request, "evidence-upload") if key else "",
            run=lambda: (status.HTTP_201_CREATED, json.loads(JSONRenderer().render(self._record(request)))),
        )
        response = Response(body, status=code)
        if replayed:
            response[idempotency.REPLAY_HEADER] = "true"
        return response

    def _record(self, request):
        serializer = s.EvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        subject = selectors.subject_get_for_user(user=request.user, subject_type=data.pop("subject_type"), subject_id=data.pop("subject_id"))
        evidence = services.evidence_record(user=request.user, subject=subject, **data)
        evidence = selectors.evidence_get_for_user(user=request.user, id=evidence.pk)
        return s.EvidenceSerializer(evidence).data


class EvidenceDetailView(APIView):
    @extend_schema(responses=s.EvidenceSerializer)
    def get(self, request, pk):
        return Response(s.EvidenceSerializer(selectors.evidence_get_for_user(user=request.user, id=pk)).data)


def file_response(evidence, *, as_attachment=False, request=None):
    response = send_file(request, evidence.file, content_type=evidence.media_type or None, download_name=bundle_file_name(evidence),
                         inline=not as_attachment)
    response["X-Content-SHA256"] = evidence.sha256
    return response


def bundle_response(evidence):
    return FileResponse(build_bundle(evidence), content_type="application/zip", as_attachment=True,
                        filename=f"evidence-{evidence.pk}-bundle.zip")


class EvidenceFileView(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="the evidence bytes")})
    def get(self, request, pk):
        return file_response(selectors.evidence_get_for_user(user=request.user, id=pk), request=request)


class EvidenceProofView(APIView):
    @extend_schema(responses=s.ProofSerializer)
    def get(self, request, pk):
        evidence = selectors.evidence_get_for_user(user=request.user, id=pk)
        return Response(log.proof_for(evidence))


class EvidenceBundleView(APIView):
    @extend_schema(responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="verification bundle")})
    def get(self, request, pk):
        return bundle_response(selectors.evidence_get_for_user(user=request.user, id=pk))


class PublicKeyView(APIView):
    """The log's Ed25519 public key; anyone may fetch it to check tree heads."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=s.PublicKeySerializer)
    def get(self, request):
        active = keys.active_key(keys.published_keys())
        if active is None:
            raise NotFound(_("No key is active."))
        return Response({"key_id": active.key_id, "algorithm": active.algorithm, "public_key_pem": active.public_key_pem})


class PublicKeyListView(APIView):
    """Every key that ever signed the log, the active one and the retired ones (each head names its key by key_id)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=s.PublishedKeySerializer(many=True))
    def get(self, request):
        return Response(s.PublishedKeySerializer([k.as_dict() for k in keys.published_keys()], many=True).data)


class LatestTreeHeadView(APIView):
    """The newest signed tree head (public: hashes and a count reveal no evidence)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=s.TreeHeadSerializer)
    def get(self, request):
        head = log.latest_tree_head()
        if head is None:
            raise NotFound(_("The log has no signed tree head yet."))
        return Response(log.tree_head_data(head))


class ConsistencyView(APIView):
    """RFC 9162 consistency proof between two tree sizes (public)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(parameters=[OpenApiParameter("first", int, required=True), OpenApiParameter("second", int, required=True)],
                   responses=s.ConsistencySerializer)
    def get(self, request):
        query = s.ConsistencyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        first, second = query.validated_data["first"], query.validated_data["second"]
        try:
            data = log.consistency(first, second)
        except ValueError:
            raise ApplicationError(_("The sizes must satisfy 0 ≤ first ≤ second ≤ the size of the log."), code="evidence_bad_sizes",
                                   details={"second": [_("outside the log")]})
        heads = {n: log.tree_head_at(n) for n in (first, second)}
        data["first_tree_head"] = log.tree_head_data(heads[first]) if heads[first] else None
        data["second_tree_head"] = log.tree_head_data(heads[second]) if heads[second] else None
        return Response(data)
