"""The index is written again from the records after bulk writes (which send no signals)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from governance.models import Action
from search.models import SearchEntry
from search.selectors import search
from search.tasks import rebuild_index
from tests.governance.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_the_command_indexes_what_a_bulk_update_changed(corpus, vru_staff):
    Action.objects.update(description="A bison was seen.")  # no signal: the index is stale
    assert list(search(vru_staff, "bison")) == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "entries written" in out.getvalue()
    assert [e.kind for e in search(vru_staff, "bison")] == ["action"]


def test_the_command_can_rebuild_one_kind(corpus):
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", kind=["action"], stdout=io.StringIO())
    assert set(SearchEntry.objects.values_list("kind", flat=True)) == {"action"}


def test_the_command_reads_the_text_of_files_not_read_yet(corpus):
    out = io.StringIO()
    call_command("rebuild_search_index", extract=True, stdout=out)
    assert "Read the text of 2 files." in out.getvalue()
    out = io.StringIO()
    call_command("rebuild_search_index", extract=True, stdout=out)
    assert "Read the text of 0 files." in out.getvalue()


def test_the_celery_task_rebuilds_the_index(svrp, vru_staff):
    ActionFactory(description="A moose was seen.")
    assert list(search(vru_staff, "moose")) == []
    assert rebuild_index.delay().get() >= 1
    assert [e.kind for e in search(vru_staff, "moose")] == ["action"]


def test_a_deleted_record_leaves_the_index(corpus, vru_staff, django_capture_on_commit_callbacks):
    from governance.models import Organisation

    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.get(slug="heron-trust").delete()
    assert list(search(vru_staff, "heron")) == []
