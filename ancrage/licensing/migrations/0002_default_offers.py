"""The publisher's two standard offers, so that licences can be created on a fresh install."""

from django.db import migrations

OFFERS = [
    {
        "code": "integrale",
        "name": "Offre intégrale",
        "kind": "integrale",
        "description": "Tout le catalogue, y compris les parcours publiés pendant la licence.",
    },
    {
        "code": "a-la-carte",
        "name": "Offre à la carte",
        "kind": "a_la_carte",
        "description": "Les parcours choisis par le client, assemblés en programmes.",
    },
]


def create_offers(apps, schema_editor):
    Offer = apps.get_model("licensing", "Offer")
    for offer in OFFERS:
        Offer.objects.get_or_create(code=offer["code"], defaults=offer)


class Migration(migrations.Migration):
    dependencies = [("licensing", "0001_licences_programmes_assignments")]

    operations = [migrations.RunPython(create_offers, migrations.RunPython.noop)]
