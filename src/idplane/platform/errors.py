"""One error taxonomy for every service, and the renderers that write it in each wire dialect.

A service raises a kind (`NotFound`, `Invalid`, ...) with its own code when the real API has
one; the envelope chosen for the request's path decides the body's shape and fills in a default
code where the raiser gave none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class ApiError(Exception):
    """An error the client caused or must be told about; never a stack trace."""

    status = 400
    title = "Bad Request"
    # A denial's sealed explanation (see Authorizer.encode_denial), shown in 403 bodies.
    authorization_message: str | None = None

    def __init__(
        self,
        message: str,
        code: str | None = None,
        *,
        scim_type: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.scim_type = scim_type
        self.headers = headers or {}
        if status is not None:
            self.status = status


class Invalid(ApiError):
    status, title = 400, "Bad Request"


class Unauthenticated(ApiError):
    status, title = 401, "Unauthorized"


class Forbidden(ApiError):
    status, title = 403, "Forbidden"


class NotFound(ApiError):
    status, title = 404, "Not Found"


class MethodNotAllowed(ApiError):
    status, title = 405, "Method Not Allowed"


class Conflict(ApiError):
    status, title = 409, "Conflict"


class PreconditionFailed(ApiError):
    status, title = 412, "Precondition Failed"


class PayloadTooLarge(ApiError):
    status, title = 413, "Request Entity Too Large"


class QuotaExceeded(ApiError):
    """A documented limit was reached; the real services answer these with 400."""

    status, title = 400, "Bad Request"


class Unsupported(ApiError):
    status, title = 415, "Unsupported Media Type"


class InternalError(ApiError):
    status, title = 500, "Internal Server Error"


@dataclass(frozen=True)
class Rendered:
    status: int
    body: Any
    media_type: str = "application/json"


class Envelope(Protocol):
    def render(self, error: ApiError, request_id: str) -> Rendered: ...


class _FlatEnvelope:
    """`{"error_code", "error_msg", "request_id"}`: Identity Center, Organizations, gateway."""

    def __init__(self, defaults: dict[int, str], fallback: str):
        self.defaults = defaults
        self.fallback = fallback

    def code_for(self, error: ApiError) -> str:
        return error.code or self.defaults.get(error.status, self.fallback)

    def render(self, error: ApiError, request_id: str) -> Rendered:
        body = {
            "error_code": self.code_for(error),
            "error_msg": error.message,
            "request_id": request_id,
        }
        if error.authorization_message:
            body["encoded_authorization_message"] = error.authorization_message
        return Rendered(error.status, body)


class IdentityCenterEnvelope(_FlatEnvelope):
    def __init__(self) -> None:
        super().__init__(
            {
                400: "IIC.400",
                401: "APIGW.0301",
                403: "IIC.1000",
                404: "IIC.404",
                405: "IIC.400",
                409: "IIC.1007",
                413: "IIC.400",
                415: "IIC.400",
            },
            "IIC.500",
        )

    # Huawei's error-code table gives these codes a message template; the service's own words
    # fill its {0}.
    templates = {
        "IIC.400": "Bad Request: {0}.",
        "IIC.1002": "Bad Request: {0}.",
        "IIC.1003": "Bad Request: {0}.",
        "IIC.1004": "Bad Request: {0}.",
        "IIC.404": "Not Found: {0}.",
    }

    def render(self, error: ApiError, request_id: str) -> Rendered:
        rendered = super().render(error, request_id)
        template = self.templates.get(rendered.body["error_code"])
        if template is not None:
            rendered.body["error_msg"] = template.format(error.message.rstrip("."))
        if error.status == 403 and not error.authorization_message:
            # The real service adds an (encrypted) explanation of every denial.
            rendered.body["encoded_authorization_message"] = _encoded_denial(error, request_id)
        return rendered


class OidcEnvelope(IdentityCenterEnvelope):
    """Identity Center's OIDC endpoints: the flat body the SDK reads, whose `error_code` is the
    RFC 6749 / RFC 8628 error (`authorization_pending`, `slow_down`, ...), plus RFC 6749's own
    `error` and `error_description` so OAuth clients read it too."""

    def render(self, error: ApiError, request_id: str) -> Rendered:
        rendered = super().render(error, request_id)
        rendered.body["error"] = rendered.body["error_code"]
        rendered.body["error_description"] = error.message
        return rendered


class StsEnvelope(_FlatEnvelope):
    """STS / IAM v5: `{error_code, error_msg, request_id[, encoded_authorization_message]}`.
    Only PAP5 codes are published (403 PAP5.0001); the others are idplane's own."""

    def __init__(self) -> None:
        super().__init__(
            {
                400: "STS.0400",
                401: "APIGW.0301",
                403: "PAP5.0001",
                404: "STS.0404",
                405: "STS.0405",
                409: "STS.0409",
                413: "STS.0400",
                415: "STS.0400",
            },
            "STS.0500",
        )


class OrganizationsEnvelope(_FlatEnvelope):
    def __init__(self) -> None:
        super().__init__(
            {
                400: "Organizations.1000",
                401: "APIGW.0301",
                # Huawei's table: 1002 is a 401 (the service raises it so); 1007 is its 403.
                403: "Organizations.1007",
                # Every Organizations 404 the service raises names its code; what is left is
                # an unrouted path, which the real gateway answers itself.
                404: "APIGW.0101",
                409: "Organizations.1003",
            },
            "Organizations.1500",
        )


class IamEnvelope(_FlatEnvelope):
    """Huawei IAM's flat body plus Keystone's `error` object, so both client families parse it."""

    def __init__(self) -> None:
        super().__init__(
            {
                400: "IAM.0011",
                401: "IAM.0001",
                403: "IAM.0003",
                404: "IAM.0004",
                405: "IAM.0005",
                409: "IAM.0010",
                413: "IAM.0011",
            },
            "IAM.0006",
        )

    def render(self, error: ApiError, request_id: str) -> Rendered:
        rendered = super().render(error, request_id)
        code = rendered.body["error_code"]
        if code.startswith("APIGW."):
            return rendered  # the gateway's own errors carry its flat body alone
        # Keystone clients read `error.message`; the Node.js SDK reads `error.code` before
        # `error_code`, so the code here is the Huawei code, not the HTTP status.
        rendered.body["error"] = {"code": code, "message": error.message, "title": error.title}
        return rendered


class LakeFormationEnvelope:
    """`{error_code, error_msg, common_error_code, solution_msg}`; 401/403 as the gateway."""

    request_id_header = "X-request-id"  # as LakeFormation's pages and SDK spell it
    defaults = {
        400: "common.01000001",
        404: "common.01000001",
        405: "common.01000001",
        408: "common.00000408",
        409: "common.01000001",
        413: "common.01000001",
        415: "common.01000001",
    }

    def render(self, error: ApiError, request_id: str) -> Rendered:
        if error.status == 401:
            # LakeFormation's gateway answers every authentication failure with APIG.1002.
            return Rendered(401, {"error_code": "APIG.1002", "error_msg": error.message})
        if error.status == 403:
            inner = {
                "code": "403",
                "message": error.message,
                "error_code": None,
                "error_msg": None,
                "title": "Forbidden",
            }
            return Rendered(
                403,
                {
                    "error": inner,
                    "error_code": "403",
                    "error_msg": error.message,
                    "title": "Forbidden",
                },
            )
        code = error.code or self.defaults.get(error.status, "common.00000500")
        return Rendered(
            error.status,
            {
                "error_code": code,
                "error_msg": error.message,
                "common_error_code": code,
                "solution_msg": _solution_for(error.status),
            },
        )


class ScimEnvelope:
    """RFC 7644 section 3.12 error. Huawei's pages add `schema` and `timeStamp`; strict SCIM
    clients (scim2-models) reject unknown error fields, so we send the RFC's alone."""

    schema = "urn:ietf:params:scim:api:messages:2.0:Error"

    def render(self, error: ApiError, request_id: str) -> Rendered:
        body: dict[str, Any] = {
            "schemas": [self.schema],
            "detail": error.message,
            "status": str(error.status),
        }
        if error.scim_type:
            body["scimType"] = error.scim_type
        return Rendered(error.status, body, "application/scim+json")


def _encoded_denial(error: ApiError, request_id: str) -> str:
    import base64

    return base64.b64encode(f"{request_id}:{error.message}".encode()).decode()


def _solution_for(status: int) -> str:
    return {
        400: "Check the request parameters.",
        404: "Check that the resource exists.",
        409: "Retry later.",
    }.get(status, "Contact the administrator.")
