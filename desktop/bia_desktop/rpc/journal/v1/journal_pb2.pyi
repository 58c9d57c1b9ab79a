# mypy: ignore-errors
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteRequest(_message.Message):
    __slots__ = ("id", "idempotency_key")
    ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    id: str
    idempotency_key: str
    def __init__(self, id: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class DeleteResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TimeRange(_message.Message):
    __slots__ = ("start", "end")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    start: str
    end: str
    def __init__(self, start: _Optional[str] = ..., end: _Optional[str] = ...) -> None: ...

class DayRange(_message.Message):
    __slots__ = ("first", "last")
    FIRST_FIELD_NUMBER: _ClassVar[int]
    LAST_FIELD_NUMBER: _ClassVar[int]
    first: str
    last: str
    def __init__(self, first: _Optional[str] = ..., last: _Optional[str] = ...) -> None: ...

class MealItemInput(_message.Message):
    __slots__ = ("catalog_food_id", "user_food_id", "amount", "unit")
    CATALOG_FOOD_ID_FIELD_NUMBER: _ClassVar[int]
    USER_FOOD_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    catalog_food_id: int
    user_food_id: str
    amount: float
    unit: str
    def __init__(self, catalog_food_id: _Optional[int] = ..., user_food_id: _Optional[str] = ..., amount: _Optional[float] = ..., unit: _Optional[str] = ...) -> None: ...

class MealInput(_message.Message):
    __slots__ = ("eaten_at", "meal_type", "notes", "items")
    EATEN_AT_FIELD_NUMBER: _ClassVar[int]
    MEAL_TYPE_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    eaten_at: str
    meal_type: str
    notes: str
    items: _containers.RepeatedCompositeFieldContainer[MealItemInput]
    def __init__(self, eaten_at: _Optional[str] = ..., meal_type: _Optional[str] = ..., notes: _Optional[str] = ..., items: _Optional[_Iterable[_Union[MealItemInput, _Mapping]]] = ...) -> None: ...

class MealPatch(_message.Message):
    __slots__ = ("eaten_at", "meal_type", "notes", "replace_items", "items", "clear")
    EATEN_AT_FIELD_NUMBER: _ClassVar[int]
    MEAL_TYPE_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    REPLACE_ITEMS_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELD_NUMBER: _ClassVar[int]
    eaten_at: str
    meal_type: str
    notes: str
    replace_items: bool
    items: _containers.RepeatedCompositeFieldContainer[MealItemInput]
    clear: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, eaten_at: _Optional[str] = ..., meal_type: _Optional[str] = ..., notes: _Optional[str] = ..., replace_items: _Optional[bool] = ..., items: _Optional[_Iterable[_Union[MealItemInput, _Mapping]]] = ..., clear: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateMealRequest(_message.Message):
    __slots__ = ("idempotency_key", "meal")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    MEAL_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    meal: MealInput
    def __init__(self, idempotency_key: _Optional[str] = ..., meal: _Optional[_Union[MealInput, _Mapping]] = ...) -> None: ...

class UpdateMealRequest(_message.Message):
    __slots__ = ("id", "idempotency_key", "meal")
    ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    MEAL_FIELD_NUMBER: _ClassVar[int]
    id: str
    idempotency_key: str
    meal: MealPatch
    def __init__(self, id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., meal: _Optional[_Union[MealPatch, _Mapping]] = ...) -> None: ...

class MealItem(_message.Message):
    __slots__ = ("id", "catalog_food_id", "user_food_id", "food_name", "amount", "unit")
    ID_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FOOD_ID_FIELD_NUMBER: _ClassVar[int]
    USER_FOOD_ID_FIELD_NUMBER: _ClassVar[int]
    FOOD_NAME_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    id: str
    catalog_food_id: int
    user_food_id: str
    food_name: str
    amount: float
    unit: str
    def __init__(self, id: _Optional[str] = ..., catalog_food_id: _Optional[int] = ..., user_food_id: _Optional[str] = ..., food_name: _Optional[str] = ..., amount: _Optional[float] = ..., unit: _Optional[str] = ...) -> None: ...

class Meal(_message.Message):
    __slots__ = ("id", "eaten_at", "meal_type", "notes", "items", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    EATEN_AT_FIELD_NUMBER: _ClassVar[int]
    MEAL_TYPE_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    eaten_at: str
    meal_type: str
    notes: str
    items: _containers.RepeatedCompositeFieldContainer[MealItem]
    created_at: str
    updated_at: str
    def __init__(self, id: _Optional[str] = ..., eaten_at: _Optional[str] = ..., meal_type: _Optional[str] = ..., notes: _Optional[str] = ..., items: _Optional[_Iterable[_Union[MealItem, _Mapping]]] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class MealList(_message.Message):
    __slots__ = ("meals",)
    MEALS_FIELD_NUMBER: _ClassVar[int]
    meals: _containers.RepeatedCompositeFieldContainer[Meal]
    def __init__(self, meals: _Optional[_Iterable[_Union[Meal, _Mapping]]] = ...) -> None: ...

class SymptomInput(_message.Message):
    __slots__ = ("kind", "symptom_type_id", "severity", "onset_at", "duration_minutes", "notes", "clear")
    KIND_FIELD_NUMBER: _ClassVar[int]
    SYMPTOM_TYPE_ID_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    ONSET_AT_FIELD_NUMBER: _ClassVar[int]
    DURATION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELD_NUMBER: _ClassVar[int]
    kind: str
    symptom_type_id: str
    severity: int
    onset_at: str
    duration_minutes: int
    notes: str
    clear: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, kind: _Optional[str] = ..., symptom_type_id: _Optional[str] = ..., severity: _Optional[int] = ..., onset_at: _Optional[str] = ..., duration_minutes: _Optional[int] = ..., notes: _Optional[str] = ..., clear: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateSymptomRequest(_message.Message):
    __slots__ = ("idempotency_key", "symptom")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SYMPTOM_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    symptom: SymptomInput
    def __init__(self, idempotency_key: _Optional[str] = ..., symptom: _Optional[_Union[SymptomInput, _Mapping]] = ...) -> None: ...

class UpdateSymptomRequest(_message.Message):
    __slots__ = ("id", "idempotency_key", "symptom")
    ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SYMPTOM_FIELD_NUMBER: _ClassVar[int]
    id: str
    idempotency_key: str
    symptom: SymptomInput
    def __init__(self, id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., symptom: _Optional[_Union[SymptomInput, _Mapping]] = ...) -> None: ...

class Symptom(_message.Message):
    __slots__ = ("id", "kind", "symptom_type_id", "severity", "onset_at", "duration_minutes", "notes", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SYMPTOM_TYPE_ID_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    ONSET_AT_FIELD_NUMBER: _ClassVar[int]
    DURATION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: str
    symptom_type_id: str
    severity: int
    onset_at: str
    duration_minutes: int
    notes: str
    created_at: str
    updated_at: str
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., symptom_type_id: _Optional[str] = ..., severity: _Optional[int] = ..., onset_at: _Optional[str] = ..., duration_minutes: _Optional[int] = ..., notes: _Optional[str] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class SymptomList(_message.Message):
    __slots__ = ("symptoms",)
    SYMPTOMS_FIELD_NUMBER: _ClassVar[int]
    symptoms: _containers.RepeatedCompositeFieldContainer[Symptom]
    def __init__(self, symptoms: _Optional[_Iterable[_Union[Symptom, _Mapping]]] = ...) -> None: ...

class SymptomTypeInput(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class CreateSymptomTypeRequest(_message.Message):
    __slots__ = ("idempotency_key", "symptom_type")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SYMPTOM_TYPE_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    symptom_type: SymptomTypeInput
    def __init__(self, idempotency_key: _Optional[str] = ..., symptom_type: _Optional[_Union[SymptomTypeInput, _Mapping]] = ...) -> None: ...

class UpdateSymptomTypeRequest(_message.Message):
    __slots__ = ("id", "idempotency_key", "symptom_type")
    ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SYMPTOM_TYPE_FIELD_NUMBER: _ClassVar[int]
    id: str
    idempotency_key: str
    symptom_type: SymptomTypeInput
    def __init__(self, id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., symptom_type: _Optional[_Union[SymptomTypeInput, _Mapping]] = ...) -> None: ...

class SymptomType(_message.Message):
    __slots__ = ("id", "name", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    created_at: str
    updated_at: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class SymptomTypeList(_message.Message):
    __slots__ = ("symptom_types",)
    SYMPTOM_TYPES_FIELD_NUMBER: _ClassVar[int]
    symptom_types: _containers.RepeatedCompositeFieldContainer[SymptomType]
    def __init__(self, symptom_types: _Optional[_Iterable[_Union[SymptomType, _Mapping]]] = ...) -> None: ...

class BowelMovementInput(_message.Message):
    __slots__ = ("occurred_at", "bristol", "urgency", "blood", "mucus", "notes", "clear")
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    BRISTOL_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    BLOOD_FIELD_NUMBER: _ClassVar[int]
    MUCUS_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELD_NUMBER: _ClassVar[int]
    occurred_at: str
    bristol: int
    urgency: int
    blood: bool
    mucus: bool
    notes: str
    clear: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, occurred_at: _Optional[str] = ..., bristol: _Optional[int] = ..., urgency: _Optional[int] = ..., blood: _Optional[bool] = ..., mucus: _Optional[bool] = ..., notes: _Optional[str] = ..., clear: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateBowelMovementRequest(_message.Message):
    __slots__ = ("idempotency_key", "bowel_movement")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    BOWEL_MOVEMENT_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    bowel_movement: BowelMovementInput
    def __init__(self, idempotency_key: _Optional[str] = ..., bowel_movement: _Optional[_Union[BowelMovementInput, _Mapping]] = ...) -> None: ...

class UpdateBowelMovementRequest(_message.Message):
    __slots__ = ("id", "idempotency_key", "bowel_movement")
    ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    BOWEL_MOVEMENT_FIELD_NUMBER: _ClassVar[int]
    id: str
    idempotency_key: str
    bowel_movement: BowelMovementInput
    def __init__(self, id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., bowel_movement: _Optional[_Union[BowelMovementInput, _Mapping]] = ...) -> None: ...

class BowelMovement(_message.Message):
    __slots__ = ("id", "occurred_at", "bristol", "urgency", "blood", "mucus", "notes", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    BRISTOL_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    BLOOD_FIELD_NUMBER: _ClassVar[int]
    MUCUS_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    occurred_at: str
    bristol: int
    urgency: int
    blood: bool
    mucus: bool
    notes: str
    created_at: str
    updated_at: str
    def __init__(self, id: _Optional[str] = ..., occurred_at: _Optional[str] = ..., bristol: _Optional[int] = ..., urgency: _Optional[int] = ..., blood: _Optional[bool] = ..., mucus: _Optional[bool] = ..., notes: _Optional[str] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class BowelMovementList(_message.Message):
    __slots__ = ("bowel_movements",)
    BOWEL_MOVEMENTS_FIELD_NUMBER: _ClassVar[int]
    bowel_movements: _containers.RepeatedCompositeFieldContainer[BowelMovement]
    def __init__(self, bowel_movements: _Optional[_Iterable[_Union[BowelMovement, _Mapping]]] = ...) -> None: ...

class MedicationInput(_message.Message):
    __slots__ = ("name", "dose", "unit", "active", "notes", "clear")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DOSE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELD_NUMBER: _ClassVar[int]
    name: str
    dose: float
    unit: str
    active: bool
    notes: str
    clear: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., dose: _Optional[float] = ..., unit: _Optional[str] = ..., active: _Optional[bool] = ..., notes: _Optional[str] = ..., clear: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateMedicationRequest(_message.Message):
    __slots__ = ("idempotency_key", "medication")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    MEDICATION_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    medication: MedicationInput
    def __init__(self, idempotency_key: _Optional[str] = ..., medication: _Optional[_Union[MedicationInput, _Mapping]] = ...) -> None: ...

class UpdateMedicationRequest(_message.Message):
    __slots__ = ("id", "idempotency_key", "medication")
    ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    MEDICATION_FIELD_NUMBER: _ClassVar[int]
    id: str
    idempotency_key: str
    medication: MedicationInput
    def __init__(self, id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., medication: _Optional[_Union[MedicationInput, _Mapping]] = ...) -> None: ...

class Medication(_message.Message):
    __slots__ = ("id", "name", "dose", "unit", "active", "notes", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DOSE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    dose: float
    unit: str
    active: bool
    notes: str
    created_at: str
    updated_at: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., dose: _Optional[float] = ..., unit: _Optional[str] = ..., active: _Optional[bool] = ..., notes: _Optional[str] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class MedicationList(_message.Message):
    __slots__ = ("medications",)
    MEDICATIONS_FIELD_NUMBER: _ClassVar[int]
    medications: _containers.RepeatedCompositeFieldContainer[Medication]
    def __init__(self, medications: _Optional[_Iterable[_Union[Medication, _Mapping]]] = ...) -> None: ...

class DoseInput(_message.Message):
    __slots__ = ("medication_id", "dose_at", "status", "amount", "notes", "clear")
    MEDICATION_ID_FIELD_NUMBER: _ClassVar[int]
    DOSE_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELD_NUMBER: _ClassVar[int]
    medication_id: str
    dose_at: str
    status: str
    amount: float
    notes: str
    clear: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, medication_id: _Optional[str] = ..., dose_at: _Optional[str] = ..., status: _Optional[str] = ..., amount: _Optional[float] = ..., notes: _Optional[str] = ..., clear: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateDoseRequest(_message.Message):
    __slots__ = ("idempotency_key", "dose")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    DOSE_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    dose: DoseInput
    def __init__(self, idempotency_key: _Optional[str] = ..., dose: _Optional[_Union[DoseInput, _Mapping]] = ...) -> None: ...

class UpdateDoseRequest(_message.Message):
    __slots__ = ("id", "idempotency_key", "dose")
    ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    DOSE_FIELD_NUMBER: _ClassVar[int]
    id: str
    idempotency_key: str
    dose: DoseInput
    def __init__(self, id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., dose: _Optional[_Union[DoseInput, _Mapping]] = ...) -> None: ...

class Dose(_message.Message):
    __slots__ = ("id", "medication_id", "dose_at", "status", "amount", "notes", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    MEDICATION_ID_FIELD_NUMBER: _ClassVar[int]
    DOSE_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    medication_id: str
    dose_at: str
    status: str
    amount: float
    notes: str
    created_at: str
    updated_at: str
    def __init__(self, id: _Optional[str] = ..., medication_id: _Optional[str] = ..., dose_at: _Optional[str] = ..., status: _Optional[str] = ..., amount: _Optional[float] = ..., notes: _Optional[str] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class DoseList(_message.Message):
    __slots__ = ("doses",)
    DOSES_FIELD_NUMBER: _ClassVar[int]
    doses: _containers.RepeatedCompositeFieldContainer[Dose]
    def __init__(self, doses: _Optional[_Iterable[_Union[Dose, _Mapping]]] = ...) -> None: ...

class ContextDayInput(_message.Message):
    __slots__ = ("day", "stress", "sleep_hours", "sleep_quality", "menstruation", "exercise_minutes", "exercise_intensity", "water_ml", "notes", "clear")
    DAY_FIELD_NUMBER: _ClassVar[int]
    STRESS_FIELD_NUMBER: _ClassVar[int]
    SLEEP_HOURS_FIELD_NUMBER: _ClassVar[int]
    SLEEP_QUALITY_FIELD_NUMBER: _ClassVar[int]
    MENSTRUATION_FIELD_NUMBER: _ClassVar[int]
    EXERCISE_MINUTES_FIELD_NUMBER: _ClassVar[int]
    EXERCISE_INTENSITY_FIELD_NUMBER: _ClassVar[int]
    WATER_ML_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELD_NUMBER: _ClassVar[int]
    day: str
    stress: int
    sleep_hours: float
    sleep_quality: int
    menstruation: str
    exercise_minutes: int
    exercise_intensity: str
    water_ml: int
    notes: str
    clear: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, day: _Optional[str] = ..., stress: _Optional[int] = ..., sleep_hours: _Optional[float] = ..., sleep_quality: _Optional[int] = ..., menstruation: _Optional[str] = ..., exercise_minutes: _Optional[int] = ..., exercise_intensity: _Optional[str] = ..., water_ml: _Optional[int] = ..., notes: _Optional[str] = ..., clear: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateContextDayRequest(_message.Message):
    __slots__ = ("idempotency_key", "context_day")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_DAY_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    context_day: ContextDayInput
    def __init__(self, idempotency_key: _Optional[str] = ..., context_day: _Optional[_Union[ContextDayInput, _Mapping]] = ...) -> None: ...

class UpdateContextDayRequest(_message.Message):
    __slots__ = ("id", "idempotency_key", "context_day")
    ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_DAY_FIELD_NUMBER: _ClassVar[int]
    id: str
    idempotency_key: str
    context_day: ContextDayInput
    def __init__(self, id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., context_day: _Optional[_Union[ContextDayInput, _Mapping]] = ...) -> None: ...

class ContextDay(_message.Message):
    __slots__ = ("id", "day", "stress", "sleep_hours", "sleep_quality", "menstruation", "exercise_minutes", "exercise_intensity", "water_ml", "notes", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    STRESS_FIELD_NUMBER: _ClassVar[int]
    SLEEP_HOURS_FIELD_NUMBER: _ClassVar[int]
    SLEEP_QUALITY_FIELD_NUMBER: _ClassVar[int]
    MENSTRUATION_FIELD_NUMBER: _ClassVar[int]
    EXERCISE_MINUTES_FIELD_NUMBER: _ClassVar[int]
    EXERCISE_INTENSITY_FIELD_NUMBER: _ClassVar[int]
    WATER_ML_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    day: str
    stress: int
    sleep_hours: float
    sleep_quality: int
    menstruation: str
    exercise_minutes: int
    exercise_intensity: str
    water_ml: int
    notes: str
    created_at: str
    updated_at: str
    def __init__(self, id: _Optional[str] = ..., day: _Optional[str] = ..., stress: _Optional[int] = ..., sleep_hours: _Optional[float] = ..., sleep_quality: _Optional[int] = ..., menstruation: _Optional[str] = ..., exercise_minutes: _Optional[int] = ..., exercise_intensity: _Optional[str] = ..., water_ml: _Optional[int] = ..., notes: _Optional[str] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class ContextDayList(_message.Message):
    __slots__ = ("context_days",)
    CONTEXT_DAYS_FIELD_NUMBER: _ClassVar[int]
    context_days: _containers.RepeatedCompositeFieldContainer[ContextDay]
    def __init__(self, context_days: _Optional[_Iterable[_Union[ContextDay, _Mapping]]] = ...) -> None: ...

class DailyNoteInput(_message.Message):
    __slots__ = ("day", "body")
    DAY_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    day: str
    body: str
    def __init__(self, day: _Optional[str] = ..., body: _Optional[str] = ...) -> None: ...

class CreateDailyNoteRequest(_message.Message):
    __slots__ = ("idempotency_key", "daily_note")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    DAILY_NOTE_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    daily_note: DailyNoteInput
    def __init__(self, idempotency_key: _Optional[str] = ..., daily_note: _Optional[_Union[DailyNoteInput, _Mapping]] = ...) -> None: ...

class UpdateDailyNoteRequest(_message.Message):
    __slots__ = ("id", "idempotency_key", "daily_note")
    ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    DAILY_NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    idempotency_key: str
    daily_note: DailyNoteInput
    def __init__(self, id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., daily_note: _Optional[_Union[DailyNoteInput, _Mapping]] = ...) -> None: ...

class DailyNote(_message.Message):
    __slots__ = ("id", "day", "body", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    day: str
    body: str
    created_at: str
    updated_at: str
    def __init__(self, id: _Optional[str] = ..., day: _Optional[str] = ..., body: _Optional[str] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class DailyNoteList(_message.Message):
    __slots__ = ("daily_notes",)
    DAILY_NOTES_FIELD_NUMBER: _ClassVar[int]
    daily_notes: _containers.RepeatedCompositeFieldContainer[DailyNote]
    def __init__(self, daily_notes: _Optional[_Iterable[_Union[DailyNote, _Mapping]]] = ...) -> None: ...

class TimelineRequest(_message.Message):
    __slots__ = ("day", "range")
    DAY_FIELD_NUMBER: _ClassVar[int]
    RANGE_FIELD_NUMBER: _ClassVar[int]
    day: str
    range: TimeRange
    def __init__(self, day: _Optional[str] = ..., range: _Optional[_Union[TimeRange, _Mapping]] = ...) -> None: ...

class TimelineEntry(_message.Message):
    __slots__ = ("kind", "at", "id", "meal", "symptom", "bowel_movement", "dose")
    KIND_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MEAL_FIELD_NUMBER: _ClassVar[int]
    SYMPTOM_FIELD_NUMBER: _ClassVar[int]
    BOWEL_MOVEMENT_FIELD_NUMBER: _ClassVar[int]
    DOSE_FIELD_NUMBER: _ClassVar[int]
    kind: str
    at: str
    id: str
    meal: Meal
    symptom: Symptom
    bowel_movement: BowelMovement
    dose: Dose
    def __init__(self, kind: _Optional[str] = ..., at: _Optional[str] = ..., id: _Optional[str] = ..., meal: _Optional[_Union[Meal, _Mapping]] = ..., symptom: _Optional[_Union[Symptom, _Mapping]] = ..., bowel_movement: _Optional[_Union[BowelMovement, _Mapping]] = ..., dose: _Optional[_Union[Dose, _Mapping]] = ...) -> None: ...

class Timeline(_message.Message):
    __slots__ = ("start", "end", "entries", "context_days", "daily_notes")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_DAYS_FIELD_NUMBER: _ClassVar[int]
    DAILY_NOTES_FIELD_NUMBER: _ClassVar[int]
    start: str
    end: str
    entries: _containers.RepeatedCompositeFieldContainer[TimelineEntry]
    context_days: _containers.RepeatedCompositeFieldContainer[ContextDay]
    daily_notes: _containers.RepeatedCompositeFieldContainer[DailyNote]
    def __init__(self, start: _Optional[str] = ..., end: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[TimelineEntry, _Mapping]]] = ..., context_days: _Optional[_Iterable[_Union[ContextDay, _Mapping]]] = ..., daily_notes: _Optional[_Iterable[_Union[DailyNote, _Mapping]]] = ...) -> None: ...

class SearchFoodsRequest(_message.Message):
    __slots__ = ("query", "limit")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    query: str
    limit: int
    def __init__(self, query: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class FoodMatch(_message.Message):
    __slots__ = ("origin", "id", "name", "serving_size", "serving_unit", "source", "score", "fructose", "lactose", "fructans", "gos", "sorbitol", "mannitol")
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERVING_SIZE_FIELD_NUMBER: _ClassVar[int]
    SERVING_UNIT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    FRUCTOSE_FIELD_NUMBER: _ClassVar[int]
    LACTOSE_FIELD_NUMBER: _ClassVar[int]
    FRUCTANS_FIELD_NUMBER: _ClassVar[int]
    GOS_FIELD_NUMBER: _ClassVar[int]
    SORBITOL_FIELD_NUMBER: _ClassVar[int]
    MANNITOL_FIELD_NUMBER: _ClassVar[int]
    origin: str
    id: str
    name: str
    serving_size: float
    serving_unit: str
    source: str
    score: float
    fructose: str
    lactose: str
    fructans: str
    gos: str
    sorbitol: str
    mannitol: str
    def __init__(self, origin: _Optional[str] = ..., id: _Optional[str] = ..., name: _Optional[str] = ..., serving_size: _Optional[float] = ..., serving_unit: _Optional[str] = ..., source: _Optional[str] = ..., score: _Optional[float] = ..., fructose: _Optional[str] = ..., lactose: _Optional[str] = ..., fructans: _Optional[str] = ..., gos: _Optional[str] = ..., sorbitol: _Optional[str] = ..., mannitol: _Optional[str] = ...) -> None: ...

class FoodMatchList(_message.Message):
    __slots__ = ("foods",)
    FOODS_FIELD_NUMBER: _ClassVar[int]
    foods: _containers.RepeatedCompositeFieldContainer[FoodMatch]
    def __init__(self, foods: _Optional[_Iterable[_Union[FoodMatch, _Mapping]]] = ...) -> None: ...

class FoodInput(_message.Message):
    __slots__ = ("name", "serving_size", "serving_unit", "fructose", "lactose", "fructans", "gos", "sorbitol", "mannitol", "notes", "clear")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERVING_SIZE_FIELD_NUMBER: _ClassVar[int]
    SERVING_UNIT_FIELD_NUMBER: _ClassVar[int]
    FRUCTOSE_FIELD_NUMBER: _ClassVar[int]
    LACTOSE_FIELD_NUMBER: _ClassVar[int]
    FRUCTANS_FIELD_NUMBER: _ClassVar[int]
    GOS_FIELD_NUMBER: _ClassVar[int]
    SORBITOL_FIELD_NUMBER: _ClassVar[int]
    MANNITOL_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELD_NUMBER: _ClassVar[int]
    name: str
    serving_size: float
    serving_unit: str
    fructose: str
    lactose: str
    fructans: str
    gos: str
    sorbitol: str
    mannitol: str
    notes: str
    clear: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., serving_size: _Optional[float] = ..., serving_unit: _Optional[str] = ..., fructose: _Optional[str] = ..., lactose: _Optional[str] = ..., fructans: _Optional[str] = ..., gos: _Optional[str] = ..., sorbitol: _Optional[str] = ..., mannitol: _Optional[str] = ..., notes: _Optional[str] = ..., clear: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateFoodRequest(_message.Message):
    __slots__ = ("idempotency_key", "food")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    FOOD_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    food: FoodInput
    def __init__(self, idempotency_key: _Optional[str] = ..., food: _Optional[_Union[FoodInput, _Mapping]] = ...) -> None: ...

class UpdateFoodRequest(_message.Message):
    __slots__ = ("id", "idempotency_key", "food")
    ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    FOOD_FIELD_NUMBER: _ClassVar[int]
    id: str
    idempotency_key: str
    food: FoodInput
    def __init__(self, id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., food: _Optional[_Union[FoodInput, _Mapping]] = ...) -> None: ...

class Food(_message.Message):
    __slots__ = ("id", "name", "serving_size", "serving_unit", "fructose", "lactose", "fructans", "gos", "sorbitol", "mannitol", "notes", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERVING_SIZE_FIELD_NUMBER: _ClassVar[int]
    SERVING_UNIT_FIELD_NUMBER: _ClassVar[int]
    FRUCTOSE_FIELD_NUMBER: _ClassVar[int]
    LACTOSE_FIELD_NUMBER: _ClassVar[int]
    FRUCTANS_FIELD_NUMBER: _ClassVar[int]
    GOS_FIELD_NUMBER: _ClassVar[int]
    SORBITOL_FIELD_NUMBER: _ClassVar[int]
    MANNITOL_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    serving_size: float
    serving_unit: str
    fructose: str
    lactose: str
    fructans: str
    gos: str
    sorbitol: str
    mannitol: str
    notes: str
    created_at: str
    updated_at: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., serving_size: _Optional[float] = ..., serving_unit: _Optional[str] = ..., fructose: _Optional[str] = ..., lactose: _Optional[str] = ..., fructans: _Optional[str] = ..., gos: _Optional[str] = ..., sorbitol: _Optional[str] = ..., mannitol: _Optional[str] = ..., notes: _Optional[str] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class FoodList(_message.Message):
    __slots__ = ("foods",)
    FOODS_FIELD_NUMBER: _ClassVar[int]
    foods: _containers.RepeatedCompositeFieldContainer[Food]
    def __init__(self, foods: _Optional[_Iterable[_Union[Food, _Mapping]]] = ...) -> None: ...

class GetSettingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UserSettingsPatch(_message.Message):
    __slots__ = ("time_zone", "lag_min_hours", "lag_max_hours", "units")
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    LAG_MIN_HOURS_FIELD_NUMBER: _ClassVar[int]
    LAG_MAX_HOURS_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    time_zone: str
    lag_min_hours: int
    lag_max_hours: int
    units: str
    def __init__(self, time_zone: _Optional[str] = ..., lag_min_hours: _Optional[int] = ..., lag_max_hours: _Optional[int] = ..., units: _Optional[str] = ...) -> None: ...

class UpdateSettingsRequest(_message.Message):
    __slots__ = ("idempotency_key", "settings")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    settings: UserSettingsPatch
    def __init__(self, idempotency_key: _Optional[str] = ..., settings: _Optional[_Union[UserSettingsPatch, _Mapping]] = ...) -> None: ...

class UserSettings(_message.Message):
    __slots__ = ("time_zone", "lag_min_hours", "lag_max_hours", "units")
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    LAG_MIN_HOURS_FIELD_NUMBER: _ClassVar[int]
    LAG_MAX_HOURS_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    time_zone: str
    lag_min_hours: int
    lag_max_hours: int
    units: str
    def __init__(self, time_zone: _Optional[str] = ..., lag_min_hours: _Optional[int] = ..., lag_max_hours: _Optional[int] = ..., units: _Optional[str] = ...) -> None: ...
