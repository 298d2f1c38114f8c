"""The task workflow (Viewflow), wiring only: each human step is completed by a service, and who may take
it is the task policy (``apps.dispatch.policy.TASK_POLICY``).

start → dispatch → accept ─(returned)→ dispatch
                         └(accepted)→ handle ─(referred)→ dispatch
                                             └(feedback)→ verify ─(rejected)→ handle
                                                                 └(approved)→ end
"""
from django.shortcuts import redirect
from viewflow import this
from viewflow.workflow import flow

from apps.dispatch.models import Status
from apps.dispatch.policy import TASK_POLICY
from apps.workflow.steps import STEP_LOCK, PolicyView


def step_page(request, **kwargs):
    """Steps are worked on the task page, whose forms call the services."""
    task = request.activation.process.dispatch_task
    return redirect("dispatch-task-detail", pk=task.pk)


def the_task(process):
    return process.dispatch_task


class TaskFlow(flow.Flow):
    process_title = "任务处置"
    lock_impl = STEP_LOCK

    start = flow.StartHandle(this.start_process).Next(this.dispatch)
    dispatch = PolicyView(step_page).Policy(TASK_POLICY, "dispatch", subject=the_task).Next(this.accept)
    accept = PolicyView(step_page).Policy(TASK_POLICY, "accept", "return", subject=the_task).Next(this.accepted)
    accepted = flow.If(this.is_accepted).Then(this.handle).Else(this.dispatch)
    # Completed by feedback, by a referral, or by the feedback that follows a write-off (销账).
    handle = PolicyView(step_page).Policy(TASK_POLICY, "feedback", "refer", "write_off", subject=the_task).Next(this.handled)
    handled = flow.If(this.has_feedback).Then(this.verify).Else(this.dispatch)
    verify = PolicyView(step_page).Policy(TASK_POLICY, "verify", subject=the_task).Next(this.verified)
    verified = flow.If(this.is_closed).Then(this.end).Else(this.handle)
    end = flow.End()

    def start_process(self, activation, task):
        activation.process.artifact = task
        activation.process.save()
        # The link to the process is bookkeeping, not a change of the task worth a history record.
        type(task).objects.filter(pk=task.pk).update(process=activation.process)
        return activation.process

    def is_accepted(self, activation):
        return activation.process.dispatch_task.status == Status.ACCEPTED

    def has_feedback(self, activation):
        return activation.process.dispatch_task.status == Status.FEEDBACK

    def is_closed(self, activation):
        return activation.process.dispatch_task.status == Status.CLOSED
