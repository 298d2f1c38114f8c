"""Demo of supervision: one rule of each kind, as a bureau would start.

No scan here: the periodic job (``run_periodic`` in ``make run``) raises the first items at start, so seeding stays
free of items and messages that other apps' tests would meet in the demo city."""
from apps.supervision import services
from apps.supervision.models import Responsible, SupervisionRule
from apps.supervision.rulekinds import RuleKind

DEMO_RULES = [
    ("任务超期24小时督办", RuleKind.TASK_OVERDUE, {"hours": 24}, 3, Responsible.HANDLER),
    ("同一地点7日内3件投诉督办", RuleKind.COMPLAINT_CLUSTER, {"count": 3, "days": 7, "scope": "place"}, 5, Responsible.HANDLER),
    ("群众不满意评价督办", RuleKind.DISSATISFIED, {"days": 30}, 5, Responsible.HANDLER),
    ("吹哨部门未按时报到督办", RuleKind.WHISTLE_LATE, {"minutes": 0, "days": 30}, 3, Responsible.DISTRICT),
    ("案件超法定期限督办", RuleKind.CASE_OVERDUE, {"deadlines": ["decision", "service", "payment", "disclosure", "withdrawal", "cash_handin"], "hours": 0}, 5, Responsible.HANDLER),
    ("任务退回超过2次督办", RuleKind.TASK_RETURNED, {"times": 2, "actions": ["return"], "days": 90}, 3, Responsible.DISTRICT),
]


def seed(ctx):
    ctx.say("Supervision: rules")
    for name, kind, parameters, days, responsible in DEMO_RULES:
        if not SupervisionRule.objects.filter(name=name).exists():  # the bureau's later edits stand on a second run
            services.rule_save(user=None, rule=SupervisionRule(name=name, kind=kind, parameters=parameters, deadline_days=days,
                                                               responsible=responsible))
    ctx.say(f"  supervision rules: {SupervisionRule.objects.count()}")
