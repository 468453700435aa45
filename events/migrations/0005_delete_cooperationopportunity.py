from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_move_cooperation_opportunities"),
    ]

    operations = [migrations.DeleteModel(name="CooperationOpportunity")]
