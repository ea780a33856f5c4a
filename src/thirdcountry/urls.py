"""URL configuration."""

from django.contrib import admin
from django.urls import include, path

from thirdcountry.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # The web application answers every other path, so it comes last.
    path("", include("thirdcountry.web.urls")),
]
