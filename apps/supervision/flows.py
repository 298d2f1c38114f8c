"""The supervision item workflow (督察督办, Viewflow), wiring only: each human step is completed by a service, and who
may take it is the policy table (``apps.supervision.policy.SUPERVISION``).

start ─(raised by a rule)→ sign → dispatch → handle → review ─(returned)→ handle
      └(created by a person)→ dispatch                     └(approved)→ close → archive → end
"""
from django.shortcuts import redirect
from viewflow import this
from viewflow.workflow import flow

from apps.supervision.models import Status
from apps.supervision.policy import SUPERVISION
from apps.workflow.steps import STEP_LOCK, PolicyView


def step_page(request, **kwargs):
    """Steps are worked on the item page, whose forms call the services."""
    return redirect("supervision-item-detail", pk=request.activation.process.supervision_item.pk)


def the_item(process):
    return process.supervision_item


def step(*names):
    return PolicyView(step_page).Policy(SUPERVISION, *names, subject=the_item)


class SupervisionFlow(flow.Flow):
    process_title = "督察督办"
    lock_impl = STEP_LOCK

    start = flow.StartHandle(this.start_process).Next(this.needs_signing)
    needs_signing = flow.If(this.is_raised).Then(this.sign).Else(this.dispatch)
    sign = step("sign").Next(this.dispatch)
    dispatch = step("dispatch").Next(this.handle)
    handle = step("handle").Next(this.review)
    review = step("approve", "return").Next(this.reviewed)
    reviewed = flow.If(this.is_approved).Then(this.close).Else(this.handle)
    close = step("close").Next(this.archive)
    archive = step("archive").Next(this.end)
    end = flow.End()

    def start_process(self, activation, item):
        activation.process.artifact = item
        activation.process.save()
        # The link to the process is bookkeeping, not a change of the item worth a history record.
        type(item).objects.filter(pk=item.pk).update(process=activation.process)
        return activation.process

    def _status(self, activation):
        item = activation.process.supervision_item
        return type(item).objects.values_list("status", flat=True).get(pk=item.pk)

    def is_raised(self, activation):
        return self._status(activation) == Status.RAISED

    def is_approved(self, activation):
        return self._status(activation) == Status.APPROVED
