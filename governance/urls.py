from __future__ import annotations

from django.urls import path

from .views import accounts as account_views
from .views import actions as action_views
from .views import meetings as meeting_views
from .views import published as published_views
from .views import registers as register_views
from .views import updates as update_views

app_name = "governance"

urlpatterns: list = []

# --- Meetings, sub-group updates, the action log and published meetings ---
urlpatterns += [
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/new/", meeting_views.meeting_create, name="meeting_create"),
    path("meetings/schedule/", meeting_views.meeting_schedule_helper, name="meeting_schedule"),
    path("meetings/calendar.ics", meeting_views.calendar_feed, name="calendar"),
    path("meetings/calendar/<slug:slug>.ics", meeting_views.calendar_group_feed, name="calendar_group"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meeting_views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/agenda/", meeting_views.agenda, name="agenda"),
    path("meetings/<int:pk>/agenda/add/", meeting_views.agenda_item_add, name="agenda_item_add"),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/edit/",
        meeting_views.agenda_item_edit,
        name="agenda_item_edit",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/delete/",
        meeting_views.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/move/",
        meeting_views.agenda_item_move,
        name="agenda_item_move",
    ),
    path("meetings/<int:pk>/papers/add/", meeting_views.paper_add, name="paper_add"),
    path("meetings/<int:pk>/attendance/", meeting_views.attendance_register, name="attendance"),
    path("meetings/<int:pk>/attendance/<int:row_pk>/", meeting_views.attendance_row, name="attendance_row"),
    path("meetings/<int:pk>/attendance/guests/", meeting_views.attendance_guest_add, name="attendance_guest"),
    path("meetings/<int:pk>/my-attendance/", meeting_views.my_attendance, name="my_attendance"),
    path("meetings/<int:pk>/declarations/add/", meeting_views.declaration_add, name="declaration_add"),
    path("meetings/<int:pk>/decisions/add/", meeting_views.decision_add, name="decision_add"),
    path("meetings/<int:pk>/actions/add/", action_views.action_add, name="action_add"),
    path("meetings/<int:pk>/minutes/", meeting_views.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/minutes/approve/", meeting_views.minutes_approve, name="minutes_approve"),
    path("meetings/<int:pk>/minutes/publish/", meeting_views.minutes_publish, name="minutes_publish"),
    path("meetings/<int:pk>/pack/", meeting_views.meeting_pack, name="meeting_pack"),
    path("meetings/<int:pk>/pack.pdf", meeting_views.meeting_pack_pdf, name="meeting_pack_pdf"),
    path("papers/<int:pk>/download/", meeting_views.paper_download, name="paper_download"),
    path("updates/", update_views.updates, name="updates"),
    path("updates/<slug:slug>/", update_views.update_submit, name="update_submit"),
    path("actions/", action_views.action_list, name="actions"),
    path("actions/mine/", action_views.action_mine, name="actions_mine"),
    path("actions/export.csv", action_views.action_export_csv, name="actions_csv"),
    path("actions/export.xlsx", action_views.action_export_xlsx, name="actions_xlsx"),
    path("actions/<str:reference>/", action_views.action_detail, name="action"),
    path("actions/<str:reference>/update/", action_views.action_update, name="action_update"),
    path("actions/<str:reference>/edit/", action_views.action_edit, name="action_edit"),
    path("published/meetings/", published_views.published_meetings, name="published_meetings"),
    path("published/meetings/<int:pk>/", published_views.published_meeting, name="published_meeting"),
]
# --- Membership and authority registers, Terms of Reference, Theory of Change ---
urlpatterns += [
    path("membership/", register_views.membership_register, name="membership"),
    path("membership/export.csv", register_views.membership_export_csv, name="membership_csv"),
    path("membership/export.xlsx", register_views.membership_export_xlsx, name="membership_xlsx"),
    path("organisations/<slug:slug>/", register_views.organisation_detail, name="organisation"),
    path("membership/tenures/<int:pk>/end/", register_views.tenure_end, name="tenure_end"),
    path("membership/people/<int:pk>/invite/", account_views.person_invite_page, name="person_invite"),
    path("terms-of-reference/", register_views.terms_of_reference, name="terms_of_reference"),
    path("theory-of-change/", register_views.theory_of_change, name="theory_of_change"),
    path("published/membership/", register_views.published_membership, name="published_membership"),
    path(
        "published/terms-of-reference/",
        register_views.published_terms_of_reference,
        name="published_terms_of_reference",
    ),
]
