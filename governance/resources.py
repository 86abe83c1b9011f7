"""django-import-export resources of the registers: CSV and XLSX import and export in the admin.

Every import is atomic: one bad row (a validation error or a database refusal) and nothing is saved,
and the result names the row (``AtomicModelResource``). Model instances are cleaned, so the same rules
as the admin's forms apply (``Membership.clean``: one chair per group, no overlapping memberships).
"""

from __future__ import annotations

from typing import Any

from import_export import fields, resources, widgets

from .models import Membership, Organisation, Person, Seat


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by a natural key; an unknown or ambiguous value is an error naming the column."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as exc:
            raise ValueError(f"No {self.model._meta.verbose_name} has {self.field} “{value}”.") from exc
        except self.model.MultipleObjectsReturned as exc:
            raise ValueError(
                f"More than one {self.model._meta.verbose_name} has {self.field} “{value}”."
            ) from exc


class AtomicModelResource(resources.ModelResource):
    def import_data(
        self, dataset: Any, dry_run: bool = False, raise_errors: bool = False, **kwargs: Any
    ) -> Any:
        # Roll back on validation errors too, not only on exceptions: nothing is half-imported.
        kwargs["rollback_on_validation_errors"] = True
        kwargs["use_transactions"] = True
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)


class OrganisationResource(AtomicModelResource):
    class Meta:
        model = Organisation
        fields = ("name", "slug", "short_name", "sector", "duty_status", "tor_description", "website")
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class PersonResource(AtomicModelResource):
    organisation = fields.Field(
        column_name="organisation",
        attribute="organisation",
        widget=LookupWidget(Organisation, field="name"),
    )

    class Meta:
        model = Person
        fields = ("id", "full_name", "job_title", "email", "phone", "organisation")
        clean_model_instances = True
        skip_unchanged = True


class SeatWidget(widgets.ForeignKeyWidget):
    """A seat by its title, within the row's group (short name) and authority (name)."""

    def __init__(self) -> None:
        super().__init__(Seat, field="title")

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> Any:
        return Seat.objects.current().filter(
            group__short_name=(row or {}).get("group"), organisation__name=(row or {}).get("organisation")
        )

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        try:
            return super().clean(value, row, **kwargs)
        except Seat.DoesNotExist as exc:
            raise ValueError(
                f"{(row or {}).get('organisation')} has no current seat “{value}” on "
                f"{(row or {}).get('group')}: add the seat first."
            ) from exc

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return value.title if value else ""


class MembershipResource(AtomicModelResource):
    """Tenures by id; the person by id (names repeat); the seat by its title within the group (short
    name) and authority (name) columns, which are the seat's and are read for the lookup alone."""

    person = fields.Field(column_name="person", attribute="person", widget=LookupWidget(Person, field="pk"))
    person_name = fields.Field(column_name="person_name", attribute="person__full_name", readonly=True)
    group = fields.Field(column_name="group", attribute="group__short_name", readonly=True)
    organisation = fields.Field(column_name="organisation", attribute="organisation__name", readonly=True)
    seat = fields.Field(column_name="seat", attribute="seat", widget=SeatWidget())

    class Meta:
        model = Membership
        fields = (
            "id",
            "person",
            "person_name",
            "group",
            "organisation",
            "role",
            "seat",
            "start_date",
            "end_date",
        )
        clean_model_instances = True
        skip_unchanged = True

    def after_save_instance(self, instance: Membership, row: Any, **kwargs: Any) -> None:
        # Imported tenures move the registers of meetings to come, as the services' do.
        from .services.registers import tenures_changed

        tenures_changed(group_id=instance.group_id)
