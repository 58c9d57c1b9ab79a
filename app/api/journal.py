"""The journal's REST routers (issue 5), mounted by app.main."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.routes import (
    bowel_movements,
    days,
    foods,
    meals,
    medications,
    settings,
    symptoms,
    timeline,
)

ROUTERS: list[APIRouter] = [
    meals.router,
    symptoms.router,
    bowel_movements.router,
    medications.router,
    days.router,
    timeline.router,
    foods.router,
    settings.router,
]
