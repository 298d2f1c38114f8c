"""The general-procedure case workflow (一般程序, Viewflow), wiring only: each human step is completed by a service.

start → approve_filing ─(refused)→ end
                       └(filed)→ investigate → legal_review ─(returned)→ investigate
                                                           └(passed)→ leader_approval ─(returned)→ legal_review
                                                                                      └(approved)→ notify → decide → serve
serve ─(fine to pay)→ execute → close → archive → end
      └(nothing to pay)→ close
"""
from django.shortcuts import redirect
from viewflow import this
from viewflow.workflow import flow, lock

from apps.cases.models import Status


def step_page(request, **kwargs):
    """Steps are worked on the case page, whose forms call the services."""
    case = request.activation.process.case
    return redirect("cases-case-detail", pk=case.pk)


class CaseFlow(flow.Flow):
    process_title = "一般程序案件"
    lock_impl = lock.no_lock

    start = flow.StartHandle(this.start_process).Next(this.approve_filing)
    approve_filing = flow.View(step_page).Next(this.filing_decided)
    filing_decided = flow.If(this.is_filed).Then(this.investigate).Else(this.end)
    investigate = flow.View(step_page).Next(this.legal_review)
    legal_review = flow.View(step_page).Next(this.reviewed)
    reviewed = flow.If(this.review_passed).Then(this.leader_approval).Else(this.investigate)
    leader_approval = flow.View(step_page).Next(this.approved)
    approved = flow.If(this.is_approved).Then(this.notify).Else(this.legal_review)
    notify = flow.View(step_page).Next(this.decide)
    decide = flow.View(step_page).Next(this.serve)
    serve = flow.View(step_page).Next(this.served)
    served = flow.If(this.has_fine).Then(this.execute).Else(this.close)
    execute = flow.View(step_page).Next(this.close)
    close = flow.View(step_page).Next(this.archive)
    archive = flow.View(step_page).Next(this.end)
    end = flow.End()

    def start_process(self, activation, case):
        activation.process.artifact = case
        activation.process.save()
        type(case).objects.filter(pk=case.pk).update(process=activation.process)
        return activation.process

    def _status(self, activation):
        return type(activation.process.case).objects.values_list("status", flat=True).get(pk=activation.process.case.pk)

    def is_filed(self, activation):
        return self._status(activation) == Status.INVESTIGATING

    def review_passed(self, activation):
        return self._status(activation) == Status.LEADER_APPROVAL

    def is_approved(self, activation):
        return self._status(activation) == Status.APPROVED

    def has_fine(self, activation):
        return self._status(activation) == Status.EXECUTING
