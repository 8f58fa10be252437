"""The product's URLs plus the Django admin with a `ProjectAdmin` showing the ledger list's columns."""

from django.contrib import admin
from django.urls import path

from halfbuilt.config.urls import urlpatterns as product_urlpatterns
from halfbuilt.ledger.models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    # The columns the ledger list page shows, and the same filters (prefecture = the region filter on a league).
    list_display = ["ledger_no", "name", "region", "category", "kind", "total_investment",
                    "completed_investment", "status", "updated_at"]
    list_filter = ["prefecture", "region", "category", "kind", "status"]
    search_fields = ["name"]
    list_per_page = 50


urlpatterns = [path("admin/", admin.site.urls), *product_urlpatterns]
