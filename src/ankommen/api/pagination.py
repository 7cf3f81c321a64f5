"""Pagination that rejects bad ``limit``/``offset`` values with a 400 instead of ignoring them
(DRF's default silently falls back), and declares its bounds in the schema."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

MAX_LIMIT = 500


class CheckedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_limit(self, request: Request) -> int | None:
        if self.limit_query_param not in request.query_params:
            return self.default_limit
        return self._number(request, self.limit_query_param, low=1, high=self.max_limit)

    def get_offset(self, request: Request) -> int:
        if self.offset_query_param not in request.query_params:
            return 0
        return self._number(request, self.offset_query_param, low=0, high=None)

    @staticmethod
    def _number(request: Request, name: str, *, low: int, high: int | None) -> int:
        raw = request.query_params[name]
        value = int(raw) if raw.isascii() and raw.isdigit() else None
        if value is None or value < low or (high is not None and value > high):
            upper = f" und höchstens {high}" if high is not None else ""
            raise ValidationError(
                {name: [f"„{raw[:20]}“ ist keine ganze Zahl von mindestens {low}{upper}."]}
            )
        return value

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_limit})
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"]["minimum"] = 0
        return parameters
