"""Verifying an OpenID Connect ID token against an identity provider's configuration, with
joserfc (no hand-rolled crypto): the signature with a key of the configured JWKS
(`signing_key`, by `kid` when the token names one), asymmetric algorithms only; `iss` equal
to `idp_url`; `aud` containing `client_id`; `exp` in the future and `nbf`/`iat` not in the
future (60 s of leeway for clocks). Any failure is a 401 that says which check failed.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from idplane.platform.errors import Unauthenticated

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
LEEWAY = 60
CODE = "IAM.0101"
MAX_LENGTH = 16384


def unverified_issuer(id_token: str) -> str | None:
    """The `iss` the token claims, to find which configuration may verify it (never trusted)."""
    try:
        payload = id_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, TypeError):
        return None
    issuer = claims.get("iss") if isinstance(claims, dict) else None
    return issuer if isinstance(issuer, str) else None


def verify_id_token(
    id_token: str, signing_key: str, issuer: str, client_id: str, now: int | None = None
) -> dict[str, Any]:
    if not id_token or len(id_token) > MAX_LENGTH or id_token.count(".") != 2:
        raise Unauthenticated("The ID token is not a signed JWT.", CODE)
    try:
        keys = KeySet.import_key_set(json.loads(signing_key))
    except (ValueError, TypeError, JoseError):
        raise Unauthenticated("The identity provider's signing_key is not usable.", CODE) from None
    try:
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
    except JoseError as error:
        raise Unauthenticated(
            f"The ID token's signature is invalid ({error.error}).", CODE
        ) from None
    except (ValueError, TypeError, KeyError):
        raise Unauthenticated("The ID token is malformed.", CODE) from None
    registry = jwt.JWTClaimsRegistry(
        now=now if now is not None else int(time.time()),
        leeway=LEEWAY,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        exp={"essential": True},
        sub={"essential": True},
    )
    try:
        registry.validate(token.claims)
    except JoseError as error:
        raise Unauthenticated(f"The ID token was refused: {error.description}", CODE) from None
    except (ValueError, TypeError):
        raise Unauthenticated("The ID token's claims are malformed.", CODE) from None
    return dict(token.claims)
