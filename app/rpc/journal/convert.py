"""Protobuf <-> domain models. Message fields carry the domain models' names, so one
generic conversion serves every message (see journal.proto)."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from google.protobuf import json_format
from google.protobuf.message import Message
from pydantic import BaseModel

from app.journal.errors import Invalid
from app.journal.fields import parse

M = TypeVar("M", bound=BaseModel)
P = TypeVar("P", bound=Message)


def fields_of(message: Message) -> dict[str, Any]:
    """The fields the client set, as a dict; `clear` names fields to set to null."""
    data: dict[str, Any] = json_format.MessageToDict(message, preserving_proto_field_name=True)
    for name in data.pop("clear", []):
        data[str(name)] = None
    return data


def model_from(model: type[M], message: Message, **extra: Any) -> M:
    """Validate a message as a domain input model, or raise Invalid (field -> message)."""
    return parse(model, {**fields_of(message), **extra})


def message_from(value: BaseModel | dict[str, Any], message_type: type[P]) -> P:
    data = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    out: P = message_type()
    json_format.ParseDict(data, out, ignore_unknown_fields=True)
    return out


def uuid_from(text: str, field: str = "id") -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise Invalid({field: "is not a valid id (a UUID)"}) from None


def idempotency_key(text: str, *, required: bool) -> str | None:
    if not text:
        if required:
            raise Invalid(
                {"idempotency_key": "is required: a client-generated key, e.g. a random UUID"}
            )
        return None
    return text
