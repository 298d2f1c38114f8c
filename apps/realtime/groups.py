"""Names of Channels groups: by user, organisation and jurisdiction (region prefix)."""


def user_group(user_id) -> str:
    return f"user.{user_id}"


def organization_group(organization_id) -> str:
    return f"org.{organization_id}"


def region_group(prefix: str) -> str:
    return f"region.{prefix}"


def region_groups_for_code(code: str) -> list[str]:
    """Every jurisdiction that holds this region code: city prefix, district, street, community."""
    if not code:
        return []
    prefixes = {code[:4], code[:6], code[:9], code}
    return [region_group(p) for p in sorted(p for p in prefixes if p)]


EVERYTHING_GROUP = "region.all"
