"""Journal entries as the page sends them, checked before they are queued.

The appliance validates again; this catches mistakes while the user is still
looking at the form, with a message that says what to change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final

KINDS: Final = ("meal", "symptom", "bowel_movement", "dose", "context", "note")
SYMPTOM_TYPES: Final = (
    "abdominal pain",
    "bloating",
    "gas",
    "cramps",
    "nausea",
    "heartburn",
    "diarrhoea",
    "constipation",
    "urgency",
    "fatigue",
    "reflux",
    "vomiting",
    "incomplete evacuation",
    "loss of appetite",
    "headache",
    "joint pain",
    "other",
)
PORTION_UNITS: Final = ("g", "ml", "portion", "piece", "cup", "tbsp", "tsp", "slice")
MAX_TEXT: Final = 2000


class EntryError(ValueError):
    """An entry the user has to correct; the message says what to change."""


def _time(entry: dict[str, Any], key: str = "time") -> str:
    """RFC 3339 with an offset, as the appliance wants; the page's local times (from
    datetime-local inputs, no offset) are this computer's time zone."""
    value = entry.get(key)
    if not isinstance(value, str):
        raise EntryError(f"'{key}' is missing: when did it happen?")
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise EntryError(f"'{key}' is not a date and time: {value!r}") from None
    if when.tzinfo is None:
        when = when.astimezone()
    return when.isoformat(timespec="seconds")


def _day(entry: dict[str, Any]) -> str:
    value = entry.get("date")
    if not isinstance(value, str):
        raise EntryError("'date' is missing: which day is this for?")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise EntryError(f"'date' is not a date: {value!r}") from None
    return value


def _int(
    entry: dict[str, Any], key: str, low: int, high: int, *, required: bool = True
) -> int | None:
    value = entry.get(key)
    if value is None or value == "":
        if required:
            raise EntryError(f"'{key}' is missing (a whole number from {low} to {high})")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise EntryError(f"'{key}' must be a whole number from {low} to {high}, not {value!r}")
    if not low <= value <= high:
        raise EntryError(f"'{key}' must be from {low} to {high}, not {value}")
    return int(value)


def _text(entry: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise EntryError(f"'{key}' must be text")
    value = value.strip()
    if required and not value:
        raise EntryError(f"'{key}' is empty")
    if len(value) > MAX_TEXT:
        raise EntryError(f"'{key}' is longer than {MAX_TEXT} characters")
    return value


def _flag(entry: dict[str, Any], key: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise EntryError(f"'{key}' must be yes or no")
    return value


def _meal(entry: dict[str, Any]) -> dict[str, Any]:
    items = entry.get("items")
    if not isinstance(items, list) or not items:
        raise EntryError("a meal needs at least one food")
    clean = []
    for item in items:
        if not isinstance(item, dict):
            raise EntryError("each food in a meal must be an object")
        amount = item.get("amount")
        if (
            isinstance(amount, bool)
            or not isinstance(amount, int | float)
            or not 0 < amount <= 10000
        ):
            raise EntryError(f"the portion of {item.get('name')!r} must be a positive amount")
        unit = item.get("unit")
        if unit not in PORTION_UNITS:
            raise EntryError(
                f"unknown portion unit {unit!r}; use one of {', '.join(PORTION_UNITS)}"
            )
        food_id = item.get("food_id")
        clean.append(
            {
                "food_id": str(food_id) if food_id else None,
                "name": _text(item, "name", required=True),
                "amount": float(amount),
                "unit": unit,
            }
        )
    return {"time": _time(entry), "items": clean, "note": _text(entry, "note")}


def _symptom(entry: dict[str, Any]) -> dict[str, Any]:
    kind = entry.get("type")
    if kind not in SYMPTOM_TYPES:
        raise EntryError(f"unknown symptom {kind!r}; choose one from the list")
    return {
        "type": kind,
        "severity": _int(entry, "severity", 0, 10),
        "onset": _time(entry, "onset"),
        "duration_minutes": _int(entry, "duration_minutes", 0, 7 * 24 * 60, required=False),
        "note": _text(entry, "note"),
    }


def _bowel_movement(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "time": _time(entry),
        "bristol": _int(entry, "bristol", 1, 7),
        "urgency": _flag(entry, "urgency"),
        "blood": _flag(entry, "blood"),
        "mucus": _flag(entry, "mucus"),
    }


def _dose(entry: dict[str, Any]) -> dict[str, Any]:
    status = entry.get("status")
    if status not in ("taken", "skipped"):
        raise EntryError("a dose is either 'taken' or 'skipped'")
    return {
        "time": _time(entry),
        "medication": _text(entry, "medication", required=True),
        "status": status,
        "amount": _text(entry, "amount"),
    }


def _context(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "date": _day(entry),
        "stress": _int(entry, "stress", 0, 10, required=False),
        "sleep_hours": _int(entry, "sleep_hours", 0, 24, required=False),
        "exercise_minutes": _int(entry, "exercise_minutes", 0, 1440, required=False),
        "menstruation": _flag(entry, "menstruation"),
    }


def _note(entry: dict[str, Any]) -> dict[str, Any]:
    return {"date": _day(entry), "text": _text(entry, "text", required=True)}


_VALIDATORS: Final = {
    "meal": _meal,
    "symptom": _symptom,
    "bowel_movement": _bowel_movement,
    "dose": _dose,
    "context": _context,
    "note": _note,
}


def validate(kind: str, entry: object) -> dict[str, Any]:
    if kind not in _VALIDATORS:
        raise EntryError(f"unknown kind of entry {kind!r}")
    if not isinstance(entry, dict):
        raise EntryError("an entry must be an object")
    return _VALIDATORS[kind](entry)
