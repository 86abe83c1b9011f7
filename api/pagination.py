from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from core.parameters import whole_number


class PortalPagination(PageNumberPagination):
    """50 a page; ``page_size`` up to 500 (larger asks get 500); a bad ``page_size`` is refused."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        # DRF quietly falls back to 50 for "abc" or "-3": say instead that the value is wrong.
        size = whole_number(raw, minimum=1, max_digits=30)  # larger asks than 500 get 500
        if size is None:
            raise ValidationError({self.page_size_query_param: [_("Enter a whole number from 1 to 500.")]})
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        # DRF reads "?page=" as the first page; the schema says a page is a number when given.
        if (
            request.query_params.get(self.page_query_param, None) == ""
            or len(request.query_params.getlist(self.page_query_param)) > 1
        ):
            raise ValidationError({self.page_query_param: [_("Enter one whole page number, from 1.")]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: object) -> list[dict[str, object]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = "Results per page: 50 unless given; at most 500 (more gives 500)."
        return parameters
