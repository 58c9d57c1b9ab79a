"""The page's entries (entries.py) <-> the journal's protobuf messages.

The page's entries are simpler than the journal's records. Where they differ:
- Foods are named "catalog:<id>" or "user:<uuid>" (the search's origin and id).
- Portions: the page's "portion" is the journal's "serving"; "slice" is sent as "piece".
- The page has no meal type; a new meal gets one from its local time of day.
- Symptoms: the page's names that the journal knows as kinds ("cramps", or any name
  that with "_" for spaces is one of SYMPTOM_KINDS, e.g. "joint pain") are sent as
  kinds; the rest ("heartburn", "other") are the user's own symptom types, found or
  created.
- Bowel urgency is yes/no on the page and 0-10 in the journal: yes is sent as 7, and
  5 or more reads back as yes. An edit that leaves yes/no as it was keeps the
  journal's number (9 stays 9, 3 stays 3).
- A dose's amount is free text on the page: a plain number goes to `amount`, any other
  text to `notes`. Medications are found by name, or created. The page shows the
  amount when there is one, else the notes; an edit replaces what the page showed
  and keeps the notes behind an amount.
- Menstruation is yes/no on the page: yes is sent as "medium", no as not recorded. An
  edit that leaves yes/no as it was keeps the journal's level (heavy, light, ...).
- Context and notes are one per day: a second "create" for a day is merged into the
  first (the fields it sets are set, nothing is cleared; a note's text is appended).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final
from uuid import UUID

from bia_desktop.rpc.journal.v1 import journal_pb2 as pb
from bia_desktop.transport import WriteRejected

PAGE_UNIT: Final = {"serving": "portion"}
JOURNAL_UNIT: Final = {"portion": "serving", "slice": "piece"}
KIND_OF: Final = {
    "abdominal pain": "abdominal_pain",
    "bloating": "bloating",
    "gas": "gas",
    "cramps": "cramping",
    "nausea": "nausea",
    "diarrhoea": "diarrhoea",
    "constipation": "constipation",
    "urgency": "urgency",
    "fatigue": "fatigue",
}
# The journal's fixed list (app/journal/symptoms.py, SymptomKind).
SYMPTOM_KINDS: Final = frozenset(
    {
        "abdominal_pain", "bloating", "gas", "nausea", "reflux", "urgency", "diarrhoea",
        "constipation", "fatigue", "cramping", "vomiting", "incomplete_evacuation",
        "loss_of_appetite", "headache", "joint_pain",
    }
)  # fmt: skip
NAME_OF: Final = {kind: name for name, kind in KIND_OF.items()}
URGENT: Final = 7
URGENT_FROM: Final = 5
MENSTRUATION_YES: Final = "medium"
FODMAP_GROUPS: Final = ("fructose", "lactose", "fructans", "gos", "sorbitol", "mannitol")


def symptom_kind(name: str) -> str | None:
    """The journal's kind for a page's symptom name, or None for the user's own type."""
    if name in KIND_OF:
        return KIND_OF[name]
    kind = name.replace(" ", "_")
    return kind if kind in SYMPTOM_KINDS else None


def is_urgent(level: int) -> bool:
    return level >= URGENT_FROM


def menstruating(level: str | None) -> bool:
    return bool(level) and level != "none"


def food_ref(food_id: str | None, name: str) -> dict[str, Any]:
    origin, _, ident = (food_id or "").rpartition(":")
    if not origin:
        origin = "catalog" if ident.isdigit() else "user"
    try:
        if origin == "catalog" and ident.isdigit():
            return {"catalog_food_id": int(ident)}
        if origin == "user":
            return {"user_food_id": str(UUID(ident))}
    except ValueError:
        pass
    raise WriteRejected(f"the appliance does not know the food {name!r}: pick it from the search")


def meal_type(stamp: str) -> str:
    hour = datetime.fromisoformat(stamp).hour
    if 5 <= hour < 11:
        return "breakfast"
    if 11 <= hour < 15:
        return "lunch"
    if 17 <= hour < 22:
        return "dinner"
    return "snack"


def meal_items(payload: dict[str, Any]) -> list[pb.MealItemInput]:
    return [
        pb.MealItemInput(
            **food_ref(item.get("food_id"), item["name"]),
            amount=float(item["amount"]),
            unit=JOURNAL_UNIT.get(item["unit"], item["unit"]),
        )
        for item in payload["items"]
    ]


def set_or_clear(values: dict[str, Any], clear: list[str], update: bool) -> dict[str, Any]:
    """Fields with a value are set; empty ones are cleared in an update, left out otherwise."""
    out = {}
    for name, value in values.items():
        if value is None or value == "":
            if update:
                clear.append(name)
        else:
            out[name] = value
    return out


def page_item(item: pb.MealItem) -> dict[str, Any]:
    food_id = (
        f"user:{item.user_food_id}"
        if item.HasField("user_food_id")
        else f"catalog:{item.catalog_food_id}"
    )
    return {
        "food_id": food_id,
        "name": item.food_name,
        "amount": item.amount,
        "unit": PAGE_UNIT.get(item.unit, item.unit),
    }


def page_entry(entry: pb.TimelineEntry, names: dict[str, str]) -> dict[str, Any]:
    kind = entry.kind
    base = {"entry_id": entry.id, "kind": kind}
    if kind == "meal":
        m = entry.meal
        return {
            **base,
            "time": m.eaten_at,
            "items": [page_item(i) for i in m.items],
            "note": m.notes,
        }
    if kind == "symptom":
        s = entry.symptom
        name = (
            NAME_OF.get(s.kind, s.kind.replace("_", " "))
            if s.HasField("kind")
            else names.get(s.symptom_type_id, "other")
        )
        return {
            **base,
            "type": name,
            "severity": s.severity,
            "onset": s.onset_at,
            "duration_minutes": s.duration_minutes if s.HasField("duration_minutes") else None,
            "note": s.notes,
        }
    if kind == "bowel_movement":
        b = entry.bowel_movement
        return {
            **base,
            "time": b.occurred_at,
            "bristol": b.bristol,
            "urgency": is_urgent(b.urgency),
            "blood": b.blood,
            "mucus": b.mucus,
        }
    d = entry.dose
    amount = f"{d.amount:g}" if d.HasField("amount") else d.notes
    return {
        **base,
        "time": d.dose_at,
        "medication": names.get(d.medication_id, "a medication"),
        "status": d.status,
        "amount": amount,
    }


def context_entry(c: pb.ContextDay) -> dict[str, Any]:
    def whole(value: float) -> float | int:
        return int(value) if float(value).is_integer() else value

    return {
        "entry_id": c.id,
        "kind": "context",
        "date": c.day,
        "stress": c.stress if c.HasField("stress") else None,
        "sleep_hours": whole(c.sleep_hours) if c.HasField("sleep_hours") else None,
        "exercise_minutes": c.exercise_minutes if c.HasField("exercise_minutes") else None,
        "menstruation": c.HasField("menstruation") and menstruating(c.menstruation),
    }


def note_entry(n: pb.DailyNote) -> dict[str, Any]:
    return {"entry_id": n.id, "kind": "note", "date": n.day, "text": n.body}


def page_food(match: pb.FoodMatch) -> dict[str, Any]:
    fodmap = []
    for group in FODMAP_GROUPS:
        level = getattr(match, group) if match.HasField(group) else ""
        if level in ("moderate", "high"):
            label = "GOS" if group == "gos" else group
            fodmap.append(label if level == "high" else f"{label} (moderate)")
    return {
        "food_id": f"{match.origin}:{match.id}",
        "name": match.name,
        "fodmap": fodmap,
        "favourite": False,
    }
