from datetime import datetime

import pytest
from bia_desktop.entries import SYMPTOM_TYPES, EntryError, validate


def test_a_usual_meal_is_accepted_and_cleaned() -> None:
    entry = validate(
        "meal",
        {
            "time": "2026-12-04T08:15",
            "items": [{"food_id": "f-oats", "name": " Porridge oats ", "amount": 60, "unit": "g"}],
        },
    )
    assert entry["items"] == [
        {"food_id": "f-oats", "name": "Porridge oats", "amount": 60.0, "unit": "g"}
    ]


@pytest.mark.parametrize(
    ("kind", "entry", "message"),
    [
        ("meal", {"time": "2026-12-04T08:00", "items": []}, "at least one food"),
        ("symptom", {"type": "bloating", "severity": 11, "onset": "2026-12-04T09:00"}, "0 to 10"),
        ("symptom", {"type": "bloating", "severity": True, "onset": "2026-12-04T09:00"}, "whole"),
        ("symptom", {"type": "headcold", "severity": 3, "onset": "2026-12-04T09:00"}, "unknown"),
        ("bowel_movement", {"time": "2026-12-04T07:00", "bristol": 0}, "1 to 7"),
        ("bowel_movement", {"time": "yesterday", "bristol": 4}, "not a date"),
        ("dose", {"time": "2026-12-04T07:00", "medication": "x", "status": "maybe"}, "taken"),
        ("note", {"date": "2026-12-04", "text": "   "}, "empty"),
        ("weather", {}, "unknown kind"),
    ],
)
def test_mistakes_are_refused_with_a_message_that_says_what_to_change(
    kind: str, entry: dict[str, object], message: str
) -> None:
    with pytest.raises(EntryError, match=message):
        validate(kind, entry)


def test_bristol_and_severity_bounds_are_inclusive() -> None:
    for bristol in (1, 7):
        assert validate("bowel_movement", {"time": "2026-12-04T07:00", "bristol": bristol})
    for severity in (0, 10):
        assert validate(
            "symptom", {"type": "gas", "severity": severity, "onset": "2026-12-04T07:00"}
        )


def test_local_times_get_this_computers_offset_and_explicit_offsets_are_kept() -> None:
    entry = validate("bowel_movement", {"time": "2026-12-04T07:00", "bristol": 4})
    assert datetime.fromisoformat(entry["time"]).utcoffset() is not None
    entry = validate("bowel_movement", {"time": "2026-12-04T07:00:00+01:00", "bristol": 4})
    assert entry["time"] == "2026-12-04T07:00:00+01:00"


def test_every_symptom_kind_the_journal_knows_can_be_picked_and_edited_on_the_page() -> None:
    from bia_desktop.journal_map import SYMPTOM_KINDS, symptom_kind

    picked = {symptom_kind(name) for name in SYMPTOM_TYPES}
    assert picked >= SYMPTOM_KINDS  # a symptom logged elsewhere keeps its kind on edit
