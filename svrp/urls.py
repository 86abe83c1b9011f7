from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

admin.site.site_header = "SVRP Portal administration"
admin.site.site_title = "SVRP Portal admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("partnership/", views.partnership, name="partnership"),
    path("published/", views.published_index, name="published"),
    path("accounts/login/", views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("core.urls")),
    path("admin/", admin.site.urls),
    path("", include("governance.urls")),
    path("", include("crest.urls")),
    path("", include("performance.urls")),
    path("", include("duty.urls")),
    path("", include("search.urls")),
    path("api/", include("api.urls")),
]

handler400 = "svrp.views.bad_request"
handler403 = "svrp.views.permission_denied"
handler404 = "svrp.views.page_not_found"
handler500 = "svrp.views.server_error"
