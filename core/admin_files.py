"""The admin's import and export files (django-import-export), under the portal's file rules.

- Only CSV and XLSX: the readers of the other formats tablib offers (XLS, ODS, YAML, HTML) are not
  bounded, and no one here needs them.
- An uploaded file is checked before django-import-export reads it: type from its bytes, size, ZIP
  bomb, and rows counted while reading (``core.spreadsheets.read_table``).
- Exported text is neutralised as in every other export (``core.spreadsheets.safe_text``), and read
  back without the neutralising quote, so an export imported again changes nothing.
"""

from __future__ import annotations

from typing import Any

import tablib
from django import forms
from django.conf import settings
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm

from .spreadsheets import SpreadsheetError, read_table, safe_text, unescape_text


def _mapped(dataset: tablib.Dataset, change: Any) -> tablib.Dataset:
    result = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        result.append([change(value) if isinstance(value, str) else value for value in row])
    return result


class _SafeFormat:
    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> Any:
        return super().export_data(_mapped(dataset, safe_text), **kwargs)  # type: ignore[misc]

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> tablib.Dataset:
        return _mapped(super().create_dataset(in_stream, **kwargs), unescape_text)  # type: ignore[misc]


class SafeCSV(_SafeFormat, base_formats.CSV):
    pass


class SafeXLSX(_SafeFormat, base_formats.XLSX):
    pass


class BoundedImportForm(ImportForm):
    def clean_import_file(self) -> Any:
        upload = self.cleaned_data["import_file"]
        try:
            read_table(upload, max_rows=settings.SVRP_ADMIN_IMPORT_MAX_ROWS)
        except SpreadsheetError as error:
            raise forms.ValidationError(str(error), code="file") from error
        upload.seek(0)
        return upload


class SafeImportExportMixin(ImportExportMixin):
    """``ImportExportMixin`` with the portal's formats and the bounded check of every upload."""

    formats = [SafeCSV, SafeXLSX]
    import_form_class = BoundedImportForm
