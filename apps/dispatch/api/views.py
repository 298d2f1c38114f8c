"""Task API for the mobile client: my tasks (with the steps the caller may do, ``actions``), accept/return, arrive,
feedback, refer, defer, escalate, report in."""
import json

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.cases.selectors import cause_get
from apps.dispatch import selectors, services
from apps.dispatch.api import serializers as s
from apps.dispatch.models import DuplicateCandidate, TaskLog, TaskPhoto, WhistleSummons
from apps.gbcp import idempotency
from apps.gbcp.files import send_image


class TaskListView(generics.ListAPIView):
    serializer_class = s.TaskListSerializer

    @extend_schema(parameters=[
        OpenApiParameter("status", str), OpenApiParameter("source", str), OpenApiParameter("alert", str),
        OpenApiParameter("mine", bool), OpenApiParameter("open", bool), OpenApiParameter("category", str), OpenApiParameter("q", str),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        return selectors.task_list_for_user(
            user=self.request.user, status=p.getlist("status") or None, source=p.get("source"), alert=p.get("alert"),
            mine=p.get("mine") in {"1", "true"}, open_only=p.get("open") in {"1", "true"}, category=p.get("category"), q=p.get("q"),
        )


def _task(request, pk):
    return selectors.task_get_for_user(user=request.user, id=pk)


def _detail(request, task):
    task = (
        selectors.task_list_for_user(user=request.user)
        .prefetch_related(
            Prefetch("logs", queryset=TaskLog.objects.select_related("actor")),
            Prefetch("duplicate_candidates", queryset=DuplicateCandidate.objects.select_related("candidate")),
            Prefetch("photos", queryset=TaskPhoto.objects.order_by("uploaded_at", "id")),
        )
        .get(pk=task.pk)
    )
    return Response(s.TaskDetailSerializer(task, context={"request": request}).data)


class TaskDetailView(APIView):
    @extend_schema(responses=s.TaskDetailSerializer)
    def get(self, request, pk):
        return _detail(request, _task(request, pk))


class TaskPhotoView(APIView):
    """One photo of a task the caller may see (``?size=thumb``: a thumbnail); any other answers 404 ``not_found``."""

    @extend_schema(
        parameters=[OpenApiParameter("size", str, enum=["thumb"], description="thumb: at most 320 pixels on the long side")],
        responses={(200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="the photo (JPEG, PNG or WebP)")},
    )
    def get(self, request, pk, photo_pk):
        photo = selectors.task_photo_of_task(task=_task(request, pk), id=photo_pk)
        return send_image(request, photo.image, download_name=selectors.photo_download_name(photo))


class _ActionView(APIView):
    """A step on a task; with an ``Idempotency-Key`` header a retry answers the first answer again
    (``Idempotent-Replayed: true``), the same key with another request is a 422."""

    serializer_class = None

    def act(self, request, task, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, pk):
        key = idempotency.key_from_request(request)
        task = _task(request, pk)

        def run():
            data = {}
            if self.serializer_class is not None:
                serializer = self.serializer_class(data=request.data, context={"request": request, "task": task})
                serializer.is_valid(raise_exception=True)
                data = serializer.validated_data
            self.act(request, task, data)
            response = _detail(request, task)
            return response.status_code, json.loads(JSONRenderer().render(response.data))

        answer = services.officer_action_idempotent(
            user=request.user, key=key, action=type(self).__name__, task=task, fingerprint=idempotency.request_fingerprint(request, type(self).__name__, task.pk) if key else "", run=run,
        )
        response = Response(answer.body, status=answer.status_code)
        if answer.replayed:
            response[idempotency.REPLAY_HEADER] = "true"
        return response


def _action(name, serializer, func, doc):
    view = type(name, (_ActionView,), {"serializer_class": serializer, "act": lambda self, request, task, data: func(request, task, data), "__doc__": doc})
    return extend_schema(request=serializer, responses=s.TaskDetailSerializer)(view).as_view()


accept = _action("TaskAcceptView", s.CaptureSerializer, lambda r, t, d: services.task_accept(
    user=r.user, task=t, captured_at=d.get("captured_at"), captured_point=d.get("captured_point")), "The squad accepts the task.")
return_ = _action("TaskReturnView", s.ReasonSerializer, lambda r, t, d: services.task_return(user=r.user, task=t, reason=d["reason"]), "The squad returns the task; a reason is required.")
arrive = _action("TaskArriveView", s.ArriveSerializer, lambda r, t, d: services.task_arrive(user=r.user, task=t, point=d.get("point")), "The officer is on site.")
feedback = _action("TaskFeedbackView", s.FeedbackSerializer, lambda r, t, d: services.task_feedback(
    user=r.user, task=t, result=d["result"], solved=d["solved"], photos=d.get("photos") or (),
    captured_at=d.get("captured_at"), captured_point=d.get("captured_point")), "The officer reports the result.")
refer = _action("TaskReferView", s.ReferSerializer, lambda r, t, d: services.task_refer(user=r.user, task=t, organization=d["organization"], reason=d["reason"]), "Refer the task to another department.")


class EscalateSerializer(serializers.Serializer):
    cause = serializers.CharField(max_length=16, required=False, allow_blank=True, default="", help_text="case cause code (案由), e.g. 01-001")
    facts = serializers.CharField(max_length=8000, required=False, allow_blank=True, default="")


def _escalate(request, task, data):
    cause = cause_get(code=data["cause"]) if data.get("cause") else None
    return services.task_escalate(user=request.user, task=task, cause=cause, facts=data.get("facts", ""))


escalate = _action("TaskEscalateView", EscalateSerializer, _escalate, "Escalate the task to an enforcement case (一般程序, awaiting filing).")
defer = _action("TaskDeferView", s.DeferSerializer, lambda r, t, d: services.task_defer(user=r.user, task=t, plan=d["plan"], target_date=d["target_date"]), "挂账: put the task on the ledger with a plan and date.")


class MySummonsListView(generics.ListAPIView):
    """Whistle summonses of the user's departments, newest first."""

    serializer_class = s.SummonsSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WhistleSummons.objects.none()
        return selectors.summons_list_for_user(user=self.request.user)


class SummonsReportInView(APIView):
    @extend_schema(request=None, responses=s.SummonsSerializer)
    def post(self, request, pk):
        summons = selectors.summons_get_for_user(user=request.user, id=pk)
        summons = services.summons_report_in(user=request.user, summons=summons)
        return Response(s.SummonsSerializer(summons).data)
