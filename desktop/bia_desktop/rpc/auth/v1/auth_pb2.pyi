# mypy: ignore-errors
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BeginLoginRequest(_message.Message):
    __slots__ = ("binding_secret_sha256",)
    BINDING_SECRET_SHA256_FIELD_NUMBER: _ClassVar[int]
    binding_secret_sha256: bytes
    def __init__(self, binding_secret_sha256: _Optional[bytes] = ...) -> None: ...

class BeginLoginResponse(_message.Message):
    __slots__ = ("transaction_id", "authorization_url", "expires_in_seconds")
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHORIZATION_URL_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    transaction_id: str
    authorization_url: str
    expires_in_seconds: int
    def __init__(self, transaction_id: _Optional[str] = ..., authorization_url: _Optional[str] = ..., expires_in_seconds: _Optional[int] = ...) -> None: ...

class AwaitTokensRequest(_message.Message):
    __slots__ = ("transaction_id", "binding_secret")
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    BINDING_SECRET_FIELD_NUMBER: _ClassVar[int]
    transaction_id: str
    binding_secret: bytes
    def __init__(self, transaction_id: _Optional[str] = ..., binding_secret: _Optional[bytes] = ...) -> None: ...

class Tokens(_message.Message):
    __slots__ = ("access_token", "refresh_token", "id_token", "expires_in_seconds", "subject")
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ID_TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    access_token: str
    refresh_token: str
    id_token: str
    expires_in_seconds: int
    subject: str
    def __init__(self, access_token: _Optional[str] = ..., refresh_token: _Optional[str] = ..., id_token: _Optional[str] = ..., expires_in_seconds: _Optional[int] = ..., subject: _Optional[str] = ...) -> None: ...

class LoginEvent(_message.Message):
    __slots__ = ("stage", "tokens")
    class Stage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STAGE_UNSPECIFIED: _ClassVar[LoginEvent.Stage]
        WAITING_FOR_BROWSER: _ClassVar[LoginEvent.Stage]
        SIGNED_IN: _ClassVar[LoginEvent.Stage]
        DELIVERED: _ClassVar[LoginEvent.Stage]
    STAGE_UNSPECIFIED: LoginEvent.Stage
    WAITING_FOR_BROWSER: LoginEvent.Stage
    SIGNED_IN: LoginEvent.Stage
    DELIVERED: LoginEvent.Stage
    STAGE_FIELD_NUMBER: _ClassVar[int]
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    stage: LoginEvent.Stage
    tokens: Tokens
    def __init__(self, stage: _Optional[_Union[LoginEvent.Stage, str]] = ..., tokens: _Optional[_Union[Tokens, _Mapping]] = ...) -> None: ...

class RefreshRequest(_message.Message):
    __slots__ = ("refresh_token",)
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    refresh_token: str
    def __init__(self, refresh_token: _Optional[str] = ...) -> None: ...

class LogoutRequest(_message.Message):
    __slots__ = ("refresh_token",)
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    refresh_token: str
    def __init__(self, refresh_token: _Optional[str] = ...) -> None: ...

class LogoutResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
