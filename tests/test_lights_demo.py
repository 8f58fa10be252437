"""The demo campaign shows lights of every colour, each yellow and red one with its reasons."""

import io

from django.core.management import call_command

from halfbuilt.ledger.models import Project
from halfbuilt.supervision.lights.models import Colour, Light, LightReason


def test_the_demo_shows_lights_of_every_colour_with_reasons(db, settings, tmp_path, monkeypatch):
    from functools import partial

    from halfbuilt.demo import campaign

    monkeypatch.setattr(campaign, "build", partial(campaign.build, per_prefecture=4))  # a small campaign suffices
    settings.DATA_DIR = tmp_path / "data"
    call_command("demo", no_serve=True, stdout=io.StringIO())
    colours = set(Light.objects.values_list("colour", flat=True))
    assert colours == {Colour.GREEN, Colour.YELLOW, Colour.RED}
    # Every project that should carry a light does, and only yellow and red ones have reasons.
    lit = Project.objects.filter(status="in_ledger").exclude(stage="closed")
    assert Light.objects.count() == lit.count()
    assert not Light.objects.filter(colour=Colour.GREEN, project__light_reasons__isnull=False).exists()
    for colour in (Colour.YELLOW, Colour.RED):
        assert not Light.objects.filter(colour=colour, project__light_reasons__isnull=True).exists()
    assert LightReason.objects.values("code").distinct().count() >= 4
