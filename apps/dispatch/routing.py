"""Routing (智能派发): point and category to the organisation that must handle it.

Point → grid and region; then the organisation whose duty list (权责清单) holds the
category and whose area holds the point, most local first (the grid's squad, the
street, the district); the district's enforcement team is the fallback (兜底).
"""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.gbcp.locate import Location
from apps.gbcp.models import Organization


@dataclass
class Route:
    organization: Organization | None
    reason: str


def route(location: Location, category) -> Route:
    if location is None or location.region is None:
        bureau = Organization.objects.filter(kind=Organization.Kind.BUREAU, level=Organization.Level.CITY, is_active=True).first()
        return Route(bureau, _("No location: to the city command centre."))
    grid_squad = location.grid.squad if location.grid is not None else None
    if category is None:
        if grid_squad is not None:
            return Route(grid_squad, _("No category yet: to the squad of grid %(grid)s.") % {"grid": location.grid.code})
        return Route(location.organization, _("No category yet: to the responsible organisation."))
    region_ids = [r.pk for r in (location.street, location.district, location.city) if r is not None]
    holders = list(
        Organization.objects.filter(region_id__in=region_ids, duties=category, is_active=True).select_related("region")
    )
    if grid_squad is not None and any(o.pk == grid_squad.pk for o in holders):
        return Route(grid_squad, _("The squad of grid %(grid)s holds “%(category)s” in its duty list.") % {"grid": location.grid.code, "category": category.name})
    preferred = {kind: i for i, kind in enumerate(category.handler_kinds or [])}
    holders.sort(key=lambda o: (-o.region.level, preferred.get(o.kind, 99), o.pk))
    if holders:
        org = holders[0]
        return Route(org, _("%(org)s holds “%(category)s” and its area holds the point.") % {"org": org.name, "category": category.name})
    fallback = None
    if location.district is not None:
        fallback = Organization.objects.filter(region=location.district, kind=Organization.Kind.ENFORCEMENT_TEAM, is_active=True).first()
    return Route(fallback or location.organization, _("No duty list holds “%(category)s”: the district is the fallback (兜底).") % {"category": category.name})
