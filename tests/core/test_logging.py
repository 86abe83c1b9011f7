"""A quiet console: routine lines go to the log file only, at their own level; the console keeps what
the portal is doing and what needs a person."""

from __future__ import annotations

import copy
import io
import logging
from logging.config import dictConfig

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def console_and_file(settings, tmp_path):
    """The portal's logging configuration, its console written to a string and its file to tmp_path."""
    config = copy.deepcopy(settings.LOGGING)
    console = io.StringIO()
    config["handlers"]["console"]["stream"] = console
    log_file = tmp_path / "svrp.log"
    config["handlers"]["file"] = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": str(log_file),
        "formatter": "plain",
    }
    if "file" not in config["root"]["handlers"]:
        config["root"]["handlers"].append("file")
    dictConfig(config)
    yield console, log_file
    dictConfig(settings.LOGGING)


def test_a_404_and_a_403_are_one_line_on_the_console_and_keep_their_traceback_in_the_log(
    console_and_file, client_for, administrator
):
    console, log_file = console_and_file
    client = client_for(administrator)
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/admin/core/signinevent/").status_code == 403
    shown = console.getvalue()
    assert "WARNING django.request Not Found: /no-such-page/" in shown
    assert "WARNING django.request Forbidden (Permission denied): /admin/core/signinevent/" in shown
    assert "Traceback" not in shown
    assert "ERROR" not in shown
    kept = log_file.read_text()
    assert "WARNING django.request Forbidden (Permission denied)" in kept
    assert "Traceback" in kept and "PermissionDenied" in kept


def test_weasyprint_progress_and_the_brokers_hostname_warning_stay_out_of_the_console(console_and_file):
    console, log_file = console_and_file
    logging.getLogger("weasyprint.progress").info("Step 4 - Creating formatting structure")
    logging.getLogger("fontTools.subset").info("maxp pruned")
    logging.getLogger("kombu.connection").warning(
        "No hostname was supplied. Reverting to default 'localhost'"
    )
    logging.getLogger("svrp").info("Meeting pack built.")
    logging.getLogger("weasyprint").warning("Ignored `gap: 1em` at 3:1, unknown property.")
    shown = console.getvalue()
    assert "Step 4" not in shown and "maxp pruned" not in shown and "No hostname" not in shown
    assert "INFO svrp Meeting pack built." in shown
    assert "WARNING weasyprint Ignored" in shown  # a real problem with a PDF still shows
    kept = log_file.read_text()
    assert "INFO weasyprint.progress Step 4" in kept
    assert "WARNING kombu.connection No hostname was supplied" in kept


def test_the_worker_and_beat_log_through_the_same_configuration():
    from celery.signals import setup_logging

    from svrp.celery import use_django_logging

    assert any(receiver() is use_django_logging for _key, receiver in setup_logging.receivers)
