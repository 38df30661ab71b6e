"""The standard service themes, so a fresh installation can file services at once."""

from django.db import migrations

THEMES = (
    ("dokumen-kependudukan", "Dokumen kependudukan", 10),
    ("surat-keterangan", "Surat keterangan dan pengantar", 20),
    ("perizinan", "Perizinan dan nonperizinan", 30),
    ("kesehatan", "Kesehatan", 40),
    ("pajak-retribusi", "Pajak dan retribusi daerah", 50),
    ("sosial", "Bantuan dan perlindungan sosial", 60),
    ("pendidikan", "Pendidikan", 70),
    ("perhubungan", "Perhubungan", 80),
    ("lingkungan", "Lingkungan hidup", 90),
    ("administrasi-umum", "Administrasi umum", 100),
)


def seed(apps, schema_editor):
    Theme = apps.get_model("catalog", "Theme")
    for slug, name, order in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
