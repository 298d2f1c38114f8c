"""Staff pages of duty (勤务排班), mounted at /duty/: a squad's weekly roster (plan, adjust, copy last week), my shifts,
posts, peak suggestions (one click makes a post and a peak shift) and coverage of duty against demand (table, chart,
XLSX). Another district's squad or roster answers 404; citizens and merchants get 403."""
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from apps.accounts.decorators import staff_required
from apps.duty import demand, export, forms, selectors, services
from apps.duty.api.views import period_of
from apps.duty.models import Roster
from apps.duty.policy import may_edit
from apps.gbcp.errors import ApplicationError, NotFound

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WEEKDAYS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def _reader(request):
    if not selectors.may_read(request.user):
        raise PermissionDenied


def _or_404(getter, **kwargs):
    try:
        return getter(**kwargs)
    except NotFound:
        raise Http404 from None


def _chosen_squad(request):
    """The squad asked for (404 if not readable), else the user's first readable squad, else None."""
    raw = request.GET.get("squad") or request.POST.get("squad")
    if raw:
        if not str(raw).isdigit():
            raise Http404
        return _or_404(selectors.squad_get_for_user, user=request.user, id=int(raw))
    return selectors.squad_list_for_user(user=request.user).filter(grids__isnull=False).distinct().first()


def _form_errors(request, form):
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _run(request, action, success):
    try:
        result = action()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success)
    return result


@staff_required
def roster(request):
    _reader(request)
    squad = _chosen_squad(request)
    week = selectors.week_monday(parse_date(request.GET.get("week") or "") or timezone.localdate())
    context = {"squads": selectors.squad_list_for_user(user=request.user), "squad": squad, "week": week,
               "previous_week": week - dt.timedelta(days=7), "next_week": week + dt.timedelta(days=7)}
    if squad is not None:
        found = selectors.roster_of_week(squad=squad, week_start=week)
        shifts = list(selectors.roster_shifts(roster=found)) if found else []
        posts = selectors.post_list_for_user(user=request.user, squad=squad)
        editable = may_edit(request.user, found or Roster(squad=squad, week_start=week))
        days = [week + dt.timedelta(days=i) for i in range(7)]
        context.update({
            "roster": found, "editable": editable,
            "days": [(day, WEEKDAYS[day.weekday()], [sh for sh in shifts if sh.date == day]) for day in days],
            "shift_form": forms.ShiftForm(posts=posts, initial={"date": max(week, timezone.localdate()) if week <= timezone.localdate() <= days[-1] else week,
                                                                "start_time": dt.time(8), "end_time": dt.time(16)}) if editable else None,
            "assignment_form": forms.AssignmentForm(officers=selectors.squad_officers(squad=squad), posts=posts) if editable else None,
        })
    return render(request, "duty/roster.html", context)


def _roster_url(roster):
    return f"{reverse('duty-roster')}?squad={roster.squad_id}&week={roster.week_start.isoformat()}"


@staff_required
@require_POST
def roster_shift_add(request):
    _reader(request)
    squad = _chosen_squad(request)
    if squad is None:
        raise Http404
    form = forms.ShiftForm(request.POST, posts=selectors.post_list_for_user(user=request.user, squad=squad))
    week = selectors.week_monday(parse_date(request.POST.get("week") or "") or timezone.localdate())
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(f"{reverse('duty-roster')}?squad={squad.pk}&week={week.isoformat()}")
    d = form.cleaned_data

    def act():
        found = services.roster_ensure(user=request.user, squad=squad, week_start=d["date"])
        return services.shift_create(user=request.user, roster=found, date=d["date"], start_time=d["start_time"], end_time=d["end_time"],
                                     kind=d["kind"], post=d.get("post"), note=d.get("note", ""))

    shift = _run(request, act, _("Shift added."))
    return redirect(_roster_url(shift.roster) if shift else f"{reverse('duty-roster')}?squad={squad.pk}&week={week.isoformat()}")


@staff_required
@require_POST
def shift_action(request, pk, action):
    _reader(request)
    shift = _or_404(selectors.shift_get_for_user, user=request.user, id=pk)
    if action == "assign":
        form = forms.AssignmentForm(request.POST, officers=selectors.squad_officers(squad=shift.squad),
                                    posts=selectors.post_list_for_user(user=request.user, squad=shift.squad))
        if form.is_valid():
            _run(request, lambda: services.assignment_add(user=request.user, shift=shift, officer=form.cleaned_data["officer"],
                                                          post=form.cleaned_data.get("post")), _("Officer added to the shift."))
        else:
            _form_errors(request, form)
    elif action == "delete":
        _run(request, lambda: services.shift_delete(user=request.user, shift=shift), _("Shift removed."))
    else:
        raise Http404
    return redirect(_roster_url(shift.roster))


@staff_required
@require_POST
def assignment_remove(request, pk):
    _reader(request)
    assignment = _or_404(selectors.assignment_get_for_user, user=request.user, id=pk)
    _run(request, lambda: services.assignment_remove(user=request.user, assignment=assignment), _("Officer taken off the shift."))
    return redirect(_roster_url(assignment.shift.roster))


@staff_required
@require_POST
def roster_copy(request):
    _reader(request)
    squad = _chosen_squad(request)
    week = parse_date(request.POST.get("week") or "")
    if squad is None or week is None:
        raise Http404

    def act():
        report = services.roster_copy_previous(user=request.user, roster=services.roster_ensure(user=request.user, squad=squad, week_start=week))
        for line in report.skipped:
            messages.warning(request, line)
        return report

    report = _run(request, act, _("Last week's roster copied."))
    if report is not None:
        messages.info(request, _("%(shifts)d shifts, %(officers)d officers placed.") % {"shifts": report.shifts, "officers": report.assignments})
    return redirect(f"{reverse('duty-roster')}?squad={squad.pk}&week={selectors.week_monday(week).isoformat()}")


@staff_required
def mine(request):
    today = timezone.localdate()
    start = selectors.local_instant(selectors.week_monday(today), dt.time())
    shifts = selectors.my_shifts(user=request.user, start=start, end=start + dt.timedelta(days=7))
    return render(request, "duty/mine.html", {"assignments": shifts, "today": today})


@staff_required
def posts(request):
    _reader(request)
    squad = _chosen_squad(request)
    grids = selectors.squad_grids(squad=squad) if squad else selectors.squad_grids_for_user(user=request.user).none()
    form = forms.PostForm(request.POST or None, grids=grids)
    if request.method == "POST" and squad is not None and form.is_valid():
        d = form.cleaned_data
        made = _run(request, lambda: services.post_create(
            user=request.user, squad=squad, name=d["name"], kind=d["kind"], grid=d.get("grid"), area=d.get("area"), point=form.point(),
            radius_m=d.get("radius_m"), hours_start=d.get("hours_start"), hours_end=d.get("hours_end"), note=d.get("note", "")), _("Post added."))
        if made is not None:
            return redirect(f"{reverse('duty-posts')}?squad={squad.pk}")
    elif request.method == "POST":
        _form_errors(request, form)
    listed = selectors.post_list_for_user(user=request.user, squad=squad) if squad else []
    return render(request, "duty/posts.html", {"squads": selectors.squad_list_for_user(user=request.user), "squad": squad, "posts": listed,
                                               "form": form, "editable": squad is not None and may_edit(request.user, Roster(squad=squad))})


@staff_required
def peaks(request):
    _reader(request)
    squad = _chosen_squad(request)
    cells = demand.peak_cells(user=request.user, grids=selectors.squad_grids(squad=squad)) if squad else []
    rows = [(c, WEEKDAYS[c.weekday]) for c in cells]
    return render(request, "duty/peaks.html", {
        "squads": selectors.squad_list_for_user(user=request.user), "squad": squad, "rows": rows,
        "editable": squad is not None and may_edit(request.user, Roster(squad=squad)), "weeks": settings.DUTY_PEAK_WEEKS,
        "fdr": settings.DUTY_PEAK_FDR, "min_count": settings.DUTY_PEAK_MIN_COUNT,
    })


@staff_required
@require_POST
def peak_adopt(request):
    _reader(request)
    squad = _chosen_squad(request)
    if squad is None:
        raise Http404
    form = forms.PeakAdoptForm(request.POST, grids=selectors.squad_grids(squad=squad))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(f"{reverse('duty-peaks')}?squad={squad.pk}")
    shift = _run(request, lambda: services.peak_adopt(user=request.user, squad=squad, on_date=timezone.localdate(), **form.cleaned_data),
                 _("Peak post and shift made; add the officers."))
    return redirect(_roster_url(shift.roster) if shift else f"{reverse('duty-peaks')}?squad={squad.pk}")


@staff_required
def coverage(request):
    _reader(request)
    squad = _chosen_squad(request)
    try:
        first, last, start, end = period_of(request.GET)
    except ValidationError:
        first, last, start, end = period_of({})
        messages.error(request, _("The period was not understood; this week is shown."))
    rows = demand.coverage(user=request.user, squad=squad, grids=selectors.squad_grids(squad=squad), start=start, end=end) if squad else []
    if squad is not None and request.GET.get("format") == "xlsx":
        response = HttpResponse(export.coverage_xlsx(squad=squad, first=first, last=last, rows=rows), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="coverage-{squad.pk}-{first}-{last}.xlsx"'
        return response
    return render(request, "duty/coverage.html", {
        "squads": selectors.squad_list_for_user(user=request.user), "squad": squad, "first": first, "last": last, "rows": rows,
        "hours": range(24), "by_hour": demand.coverage_by_hour(rows),
        "chart_labels": {"duty_hours": _("Officer-hours on duty"), "intake": _("Reports received"), "hour": _("Hour of the day")},
    })
