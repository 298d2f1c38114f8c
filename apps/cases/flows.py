"""The general-procedure case workflow (一般程序, Viewflow), wiring only: each human step is completed by a service,
and who may take it is the policy table's answer (apps.cases.policy.GENERAL).

start → approve_filing ─(refused)→ end
                       └(filed)→ investigate → legal_review ─(returned)→ investigate
                                                           └(passed)→ leader_approval ─(returned)→ legal_review
                                                                                      └(approved)→ notify → decide → serve
serve ─(fine to pay)→ execute → close → archive → end
      └(nothing to pay)→ close
"""
from django.shortcuts import redirect
from viewflow import this
from viewflow.workflow import flow

from apps.cases.models import Status
from apps.cases.policy import GENERAL
from apps.workflow.steps import STEP_LOCK, PolicyView


def step_page(request, **kwargs):
    """Steps are worked on the case page, whose forms call the services."""
    case = request.activation.process.case
    return redirect("cases-case-detail", pk=case.pk)


def _case(process):
    return process.case


def step(*names):
    """A human node done on the case page by whoever the policy allows any of ``names``."""
    return PolicyView(step_page).Policy(GENERAL, *names, subject=_case)


class CaseFlow(flow.Flow):
    process_title = "一般程序案件"
    lock_impl = STEP_LOCK

    start = flow.StartHandle(this.start_process).Next(this.approve_filing)
    approve_filing = step("file", "refuse").Next(this.filing_decided)
    filing_decided = flow.If(this.is_filed).Then(this.investigate).Else(this.end)
    investigate = step("submit").Next(this.legal_review)
    legal_review = step("review").Next(this.reviewed)
    reviewed = flow.If(this.review_passed).Then(this.leader_approval).Else(this.investigate)
    leader_approval = step("approve", "return").Next(this.approved)
    approved = flow.If(this.is_approved).Then(this.notify).Else(this.legal_review)
    notify = step("notify").Next(this.decide)
    decide = step("decide").Next(this.serve)
    serve = step("serve").Next(this.served)
    served = flow.If(this.has_fine).Then(this.execute).Else(this.close)
    execute = step("enforce").Next(this.close)
    close = step("close").Next(this.archive)
    archive = step("archive").Next(this.end)
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
