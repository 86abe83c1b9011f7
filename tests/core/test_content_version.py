"""The content version moves with every committed change to the portal's content, whoever writes it,
and with nothing else (core.content_version): cached pages rely on it to show an edit at once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import update_last_login
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from core import content_version
from core.models import ContentChange
from governance.models import Organisation, Person, Reminder
from tests.governance.factories import OrganisationFactory, PersonFactory


def test_a_save_an_update_a_bulk_insert_and_a_delete_each_move_the_version(db):
    person = PersonFactory()
    seen = [content_version.current()]

    person.job_title = "Director of Public Health"
    person.save()
    seen.append(content_version.current())
    # Writes that bypass save() and signals move it too: the trigger is in the database.
    Person.objects.filter(pk=person.pk).update(job_title="Chief Executive")
    seen.append(content_version.current())
    Organisation.objects.bulk_create(
        [Organisation(name="Bulk Council", slug="bulk-council", sector="local_authority")]
    )
    seen.append(content_version.current())
    person.delete()
    seen.append(content_version.current())

    assert seen == sorted(set(seen)), f"the version must grow at each change: {seen}"


def test_a_many_to_many_link_moves_the_version(db):
    from performance.models import Period, SurveyAspect, SurveyRound

    period = Period.objects.create(year=2026, quarter=1, deadline=dt.date(2026, 7, 31))
    survey = SurveyRound.objects.create(
        period=period, opened_at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC), closes_on=dt.date(2026, 7, 31)
    )
    aspect = SurveyAspect.objects.create(text="I feel heard")
    before = content_version.current()
    survey.aspects.add(aspect)
    linked = content_version.current()
    survey.aspects.remove(aspect)
    assert before < linked < content_version.current()


def test_reminders_history_and_sign_ins_leave_the_version_alone(db, board_member):
    before = content_version.current()
    Reminder.objects.create(
        kind=Reminder.Kind.choices[0][0],
        object_key="x",
        recipient="a@example.org",
        for_date=dt.date(2026, 12, 1),
    )
    # A sign-in updates last_login alone (django.contrib.auth.models.update_last_login).
    update_last_login(None, board_member)
    assert content_version.current() == before


def test_a_users_new_name_moves_the_version(db, board_member):
    """Cached pages show who did what (who corrected a figure): a new name must show at once."""
    before = content_version.current()
    board_member.first_name = "Renamed"
    board_member.save()
    assert content_version.current() > before


def test_every_content_table_has_its_trigger(db):
    """A new model in a content app is covered by the next migrate, with no migration of its own."""
    tables = content_version.content_tables()
    assert "governance_action" in tables and "performance_figure" in tables
    assert not [t for t in tables if "historical" in t]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                [content_version.TRIGGER],
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [content_version.TRIGGER + "%"],
            )
        covered = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= covered, f"tables without the trigger: {sorted(set(tables) - covered)}"


def test_reading_the_version_is_one_query_whatever_the_number_of_changes(db):
    for n in range(30):
        OrganisationFactory(name=f"Council {n}")
    with CaptureQueriesContext(connection) as queries:
        content_version.current()
    assert len(queries) == 1


def test_compacting_keeps_the_version_and_folds_the_rows(db):
    for n in range(5):
        OrganisationFactory(name=f"Council {n}")
    before = content_version.current()
    # Every scope written so far (a migrate's rebuild of the derived tables moves theirs on PostgreSQL,
    # whose triggers are per statement): compaction leaves one row each.
    scopes = set(ContentChange.objects.values_list("scope", flat=True))
    content_version.compact()
    assert content_version.current() == before
    assert ContentChange.objects.count() == len(scopes)
    OrganisationFactory(name="Council after compaction")
    assert content_version.current() > before


@pytest.mark.django_db(transaction=True)
def test_a_change_is_seen_by_another_connection_only_once_committed_and_writers_do_not_wait():
    """The version is written in the writer's transaction: another process sees the new version exactly
    when it sees the new rows. On PostgreSQL two writers at once each get their own row (neither waits
    for the other); SQLite has one writer at a time anyway."""
    before = content_version.current()
    seen_inside: list[int] = []
    with transaction.atomic():
        OrganisationFactory(name="Uncommitted Council")

        def read_elsewhere() -> None:
            seen_inside.append(content_version.current())
            connections.close_all()

        if connection.vendor == "postgresql":
            reader = threading.Thread(target=read_elsewhere)
            reader.start()
            reader.join(10)
            assert seen_inside == [before], "an uncommitted change must not show in another process"

            def write_elsewhere() -> None:
                with transaction.atomic():
                    Organisation.objects.create(name="Other writer", slug="other-writer", sector="police")
                connections.close_all()

            writer = threading.Thread(target=write_elsewhere)
            writer.start()
            writer.join(10)
            assert not writer.is_alive(), "a second writer waited for the first one's transaction"
    after = content_version.current()
    assert after > before
    assert Organisation.objects.filter(name="Uncommitted Council").exists()


def test_signing_in_through_the_form_leaves_the_version_alone(client, board_member):
    board_member.set_password("a-long-enough-password-1")
    board_member.save()
    before = content_version.current()
    response = client.post(
        "/accounts/login/", {"username": board_member.username, "password": "a-long-enough-password-1"}
    )
    assert response.status_code == 302 and response["Location"] != "/accounts/login/"
    assert content_version.current() == before


def test_each_scope_moves_with_its_own_tables_only(db):
    """A fragment keys on the scopes it reads: an attendance row moves "attendance", not "registers"."""
    from tests.governance.factories import AttendanceFactory

    attendance = AttendanceFactory()
    registers, recorded = content_version.current(["registers"]), content_version.current(["attendance"])
    everything = content_version.current()
    attendance.status = "absent"
    attendance.save()
    assert content_version.current(["registers"]) == registers
    assert content_version.current(["attendance"]) > recorded
    assert content_version.current() > everything
    OrganisationFactory(name="Another Council")
    assert content_version.current(["registers"]) > registers


def test_a_table_no_app_gives_a_scope_is_read_by_every_fragment(db, monkeypatch):
    """A new model whose app has not named its scope is never stale: it is in GLOBAL, in every key."""
    from core import hooks

    scopes = content_version.scope_of_tables()
    assert scopes["governance_attendance"] == "attendance" and scopes["auth_user"] == content_version.USERS
    try:
        with hooks.register_temporarily(hooks.CONTENT_SCOPES, lambda: {}, alone=True):
            content_version.install_triggers()
            assert set(content_version.scope_of_tables().values()) == {content_version.GLOBAL, "users"}
            before = {s: content_version.current([s]) for s in ("registers", "crest", "figures")}
            OrganisationFactory(name="Undeclared Council")
            assert all(content_version.current([s]) > v for s, v in before.items())
    finally:
        content_version.install_triggers()


def test_compacting_keeps_every_scopes_version(db):
    from tests.governance.factories import AttendanceFactory

    AttendanceFactory()
    OrganisationFactory(name="Council to fold")
    versions = {s: content_version.current([s]) for s in ("registers", "attendance", "meetings")}
    content_version.compact()
    assert {s: content_version.current([s]) for s in versions} == versions
