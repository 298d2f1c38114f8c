"""The case lead workflow (线索移送, Viewflow), wiring only: each human step is completed by a service, and who may take
it is the policy table (``apps.coordination.policy.LEADS``).

handed out: start → send → acknowledge → answer ─(accepted)→ feedback → close → end
                                                └(refused)────────────→ close
taken in:   start → decide (accept as a task or a case, or refuse) → end
"""
from django.shortcuts import redirect
from viewflow import this
from viewflow.workflow import flow

from apps.coordination.models import Direction, Status
from apps.coordination.policy import LEADS
from apps.workflow.steps import STEP_LOCK, PolicyView


def step_page(request, **kwargs):
    """Steps are worked on the lead's page, whose forms call the services."""
    return redirect("coordination-lead-detail", pk=request.activation.process.coordination_lead.pk)


def the_lead(process):
    return process.coordination_lead


def step(*names):
    return PolicyView(step_page).Policy(LEADS, *names, subject=the_lead)


class LeadFlow(flow.Flow):
    process_title = "线索移送"
    lock_impl = STEP_LOCK

    start = flow.StartHandle(this.start_process).Next(this.which_way)
    which_way = flow.If(this.is_out).Then(this.send).Else(this.decide)
    send = step("send").Next(this.acknowledge)
    acknowledge = step("acknowledge", "acknowledge_for").Next(this.answer)
    answer = step("answer", "answer_for").Next(this.answered)
    answered = flow.If(this.is_accepted).Then(this.feedback).Else(this.close)
    feedback = step("feedback", "feedback_for").Next(this.close)
    close = step("close").Next(this.end)
    decide = step("accept_in", "refuse_in").Next(this.end)
    end = flow.End()

    def start_process(self, activation, lead):
        activation.process.artifact = lead
        activation.process.save()
        # The link to the process is bookkeeping, not a change of the lead worth a history record.
        type(lead).objects.filter(pk=lead.pk).update(process=activation.process)
        return activation.process

    def _lead(self, activation):
        lead = activation.process.coordination_lead
        return type(lead).objects.values("direction", "status").get(pk=lead.pk)

    def is_out(self, activation):
        return self._lead(activation)["direction"] == Direction.OUT

    def is_accepted(self, activation):
        return self._lead(activation)["status"] == Status.ACCEPTED
