"""The office's page of light rules (thresholds and deadlines) and the list of every reason with what clears it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from halfbuilt.accounts.guards import needs_action
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor

from . import services
from .forms import LightSettingsForm
from .models import LightSettings
from .reasons import reasons
from .rules import campaign_plan_deadline

OFFICE_ONLY = gettext_lazy("预警规则由领导小组办公室设置。")


@require_http_methods(["GET", "POST"])
@needs_action(services.CONFIGURE, message=OFFICE_ONLY)
def settings_page(request: HttpRequest) -> HttpResponse:
    current = LightSettings.current()
    campaign_deadline = campaign_plan_deadline()
    if request.method == "POST":
        form = LightSettingsForm(request.POST, campaign_deadline=campaign_deadline)
        if form.is_valid():
            values = {name: form.cleaned_data.get(name, getattr(current, name)) for name in services.FIELDS}
            try:
                services.update_settings(actor=Actor.from_request(request), values=values,
                                         version=form.cleaned_data["version"])
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("已保存预警规则，所有项目的亮灯将按新规则重新计算。"))
                return redirect("lights:settings")
    else:
        form = LightSettingsForm(initial={**{n: getattr(current, n) for n in services.FIELDS},
                                          "version": current.version}, campaign_deadline=campaign_deadline)
    return render(request, "lights/settings.html", {"form": form, "current": current, "reasons": reasons(),
                                                    "campaign_deadline": campaign_deadline})
