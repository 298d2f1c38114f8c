"""The licence kinds every ledger knows; more may be added in the admin."""
from django.db import migrations

KINDS = [
    ("food_business", "食品经营许可证", "food business licence", ["restaurant"]),
    ("business_licence", "营业执照", "business licence", []),
    ("outdoor_advertising", "户外广告设置许可", "outdoor advertising permit", ["billboard"]),
    ("road_occupation", "城市道路占用挖掘许可", "urban road occupation and excavation permit", []),
    ("construction_permit", "建筑工程施工许可证", "construction permit", ["construction_site"]),
    ("drainage", "排水许可", "drainage permit", []),
    ("night_construction", "夜间施工许可", "night construction permit", []),
]


def seed(apps, schema_editor):
    LicenceKind = apps.get_model("ledger", "LicenceKind")
    for code, name, name_en, place_kinds in KINDS:
        LicenceKind.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "required_for_place_kinds": place_kinds}
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
