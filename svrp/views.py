from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.forms import LoginForm
from core.fragments import cached_fragment
from core.panels import panels_for
from core.roles import user_roles

from .celery import app as celery_app

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in home page: what needs this user's attention."""
    roles = sorted(user_roles(request.user))

    def panels() -> str:
        return render_to_string("partials/home_panels.html", {"panels": panels_for(request)}, request=request)

    # Panels come from every app (core.hooks.HOME_PANELS) and read what they like: rendered once per
    # version of all the content (scopes=None) for each user and set of roles (a role given or taken
    # away is not a content change).
    panels_html = cached_fragment("home-panels", scopes=None, vary=(request.user.pk, roles), render=panels)
    return render(request, "home.html", {"roles": roles, "panels_html": panels_html})


@require_GET
def partnership(request: HttpRequest) -> HttpResponse:
    """The way into the partnership's registers: membership, Terms of Reference, Theory of Change, Crest."""
    from crest.permissions import can_view_tracker
    from duty.permissions import can_view as can_view_duty
    from governance.structure import structure_context

    return render(
        request,
        "partnership.html",
        {
            "show_crest": can_view_tracker(request.user),
            "show_duty": can_view_duty(request.user),
            "structure": structure_context(public=False),
        },
    )


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


@login_not_required
@require_GET
def published_index(request: HttpRequest) -> HttpResponse:
    """What the partnership publishes: the public's way in, since every other page needs a sign-in."""
    from governance.structure import structure_context

    # Published: each chair's seat, never the person's name (as /published/membership/).
    return render(request, "published_index.html", {"structure": structure_context(public=True)})


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database does not answer.")
        return False


def _broker_answers() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return True
    except Exception:
        logger.exception("Health check: the Celery broker does not answer.")
        return False


def _worker_heartbeat_age() -> int | None:
    """Seconds since a worker last ran the heartbeat task; None if none ever has (or no database)."""
    from django.db.models import Max
    from django.utils import timezone

    from core.models import WorkerHeartbeat

    try:
        latest = WorkerHeartbeat.objects.aggregate(latest=Max("beat_at"))["latest"]
    except Exception:
        logger.exception("Health check: the worker heartbeat could not be read.")
        return None
    return None if latest is None else max(0, int((timezone.now() - latest).total_seconds()))


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker both answer, else 503; each named in the JSON.

    The worker is reported too, by the age of its last heartbeat (beat asks for one every minute):
    "silent" when older than ``SVRP_WORKER_SILENT_AFTER`` seconds or never seen. A silent worker makes
    the status "degraded" but not a 503: the web server itself is well, and restarting it would not
    bring the worker back.
    """
    checks = {"database": _database_answers(), "broker": _broker_answers()}
    age = _worker_heartbeat_age()
    worker_ok = age is not None and age <= settings.SVRP_WORKER_SILENT_AFTER
    healthy = all(checks.values())
    status = ("ok" if worker_ok else "degraded") if healthy else "unavailable"
    return JsonResponse(
        {
            "status": status,
            **{k: "ok" if v else "down" for k, v in checks.items()},
            "worker": "ok" if worker_ok else "silent",
            "worker_heartbeat_age_seconds": age,
        },
        status=200 if healthy else 503,
    )


@method_decorator(login_not_required, name="dispatch")
class PortalLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_error(detail: str, status: int) -> JsonResponse:
    """Under /api/ every error is JSON, even those Django answers before the API's views run."""
    return JsonResponse({"detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    too_big = isinstance(exception, RequestDataTooBig)
    if _is_api(request):
        if too_big:
            return _api_error(_("The request body is too large."), 413)
        return _api_error(_("The request could not be understood."), 400)
    return render(request, "errors/400.html", status=413 if too_big else 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error(_("You do not have permission to do this."), 403)
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error(_("There is no API endpoint at this address."), 404)
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _api_error(_("Something went wrong on the server. It has been logged."), 500)
    return render(request, "errors/500.html", status=500)
