"""Shared field types and validation: bounded text, plausible times, scales."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from app.journal.errors import Invalid

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
# Clocks and time zones disagree a little; a week ahead is a typo, not a skew.
FUTURE_SLACK = timedelta(days=1)
MAX_RANGE = timedelta(days=366)


def _clean_text(value: str) -> str:
    for char in value:
        if char in "\n\t":
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Co", "Cn"):
            raise ValueError(
                f"contains an unsupported character (U+{ord(char):04X}); remove it and retry"
            )
    return value


def _plausible_time(value: datetime) -> datetime:
    if value < EARLIEST:
        raise ValueError("is before 1900; check the year")
    if value > datetime.now(UTC) + FUTURE_SLACK:
        raise ValueError("is more than a day in the future; check the date and time zone")
    return value


def _plausible_day(value: date) -> date:
    if value < EARLIEST.date():
        raise ValueError("is before 1900; check the year")
    if value > (datetime.now(UTC) + FUTURE_SLACK).date():
        raise ValueError("is in the future; check the date")
    return value


def _bounded_text(max_length: int) -> Any:
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(_clean_text),
    ]


Name = _bounded_text(200)
ShortName = _bounded_text(100)
Notes = _bounded_text(2000)
LongText = _bounded_text(10000)
EventTime = Annotated[AwareDatetime, AfterValidator(_plausible_time)]
Day = Annotated[date, AfterValidator(_plausible_day)]
Scale = Annotated[int, Field(ge=0, le=10)]


def _positive_amount(value: float) -> float:
    rounded = round(value, 2)
    if rounded <= 0:
        raise ValueError("must be at least 0.01")
    return rounded


def _positive_dose(value: float) -> float:
    rounded = round(value, 3)
    if rounded <= 0:
        raise ValueError("must be at least 0.001")
    return rounded


Amount = Annotated[
    float, Field(gt=0, le=100_000, allow_inf_nan=False), AfterValidator(_positive_amount)
]
Dose = Annotated[
    float, Field(gt=0, le=1_000_000, allow_inf_nan=False), AfterValidator(_positive_dose)
]
IdempotencyKey = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(_clean_text)
]


class InputModel(BaseModel):
    """Base of XCreate/XUpdate: unknown fields are mistakes, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class UpdateModel(InputModel):
    """All fields optional; only those given change. `NOT_NULL` fields may not be cleared."""

    NOT_NULL: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_clearing_required(self) -> UpdateModel:
        cleared = sorted(
            f for f in self.model_fields_set & self.NOT_NULL if getattr(self, f) is None
        )
        if cleared:
            raise ValueError(f"{', '.join(cleared)} cannot be cleared, only changed")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class PublicModel(BaseModel):
    model_config = ConfigDict(frozen=True)


M = TypeVar("M", bound=BaseModel)


def invalid_from(error: ValidationError) -> Invalid:
    fields: dict[str, str] = {}
    for item in error.errors(include_url=False):
        name = ".".join(str(part) for part in item["loc"]) or "input"
        fields.setdefault(name, item["msg"])
    return Invalid(fields)


def parse(model: type[M], data: object) -> M:
    """Validate raw input (a dict from JSON or protobuf) into a model, or raise Invalid."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise invalid_from(error) from None


def check_range(start: datetime, end: datetime) -> None:
    problems: dict[str, str] = {}
    if start.tzinfo is None or end.tzinfo is None:
        problems["range"] = "start and end need a time zone (e.g. 2024-05-01T00:00:00+02:00)"
    elif end <= start:
        problems["end"] = "must be after start"
    elif end - start > MAX_RANGE:
        problems["range"] = "spans more than 366 days; ask for a shorter period"
    if problems:
        raise Invalid(problems)


def check_idempotency_key(key: str | None) -> str | None:
    if key is None:
        return None
    try:
        return _IDEMPOTENCY_KEY.validate_python(key)
    except ValidationError as error:
        raise Invalid({"idempotency_key": error.errors()[0]["msg"]}) from None


_IDEMPOTENCY_KEY: TypeAdapter[str] = TypeAdapter(IdempotencyKey)  # built once: ~0.3 ms each
