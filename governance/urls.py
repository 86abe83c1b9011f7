from __future__ import annotations

from django.urls import path

from .views import registers as register_views

app_name = "governance"

urlpatterns: list = []

# --- Membership and authority registers, Terms of Reference, Theory of Change (issue 3) -------------
urlpatterns += [
    path("membership/", register_views.membership_register, name="membership"),
    path("membership/export.csv", register_views.membership_export_csv, name="membership_csv"),
    path("membership/export.xlsx", register_views.membership_export_xlsx, name="membership_xlsx"),
    path("organisations/<slug:slug>/", register_views.organisation_detail, name="organisation"),
    path("terms-of-reference/", register_views.terms_of_reference, name="terms_of_reference"),
    path("theory-of-change/", register_views.theory_of_change, name="theory_of_change"),
    path("published/membership/", register_views.published_membership, name="published_membership"),
    path(
        "published/terms-of-reference/",
        register_views.published_terms_of_reference,
        name="published_terms_of_reference",
    ),
]
# --- end of issue 3 ---------------------------------------------------------------------------------
