"""Identity Center OIDC: public clients and the device authorization grant (RFC 8628).

- `register_client`: a client id and secret; the secret is valid for 90 days (epoch seconds in
  `client_secret_expires_at`, as AWS documents; Huawei does not say) and stored as a digest.
- `start_device_authorization`: the `start_url` must be this instance's portal URL
  (`<public URL>/<identity store id>/portal`); it names the identity store the user signs in
  to. The device code lives 10 minutes; the user code is 8 letters (`BCDF-GHJK`) from RFC 8628
  section 6.1's consonant alphabet, so it is easy to type and spells no words.
- `create_token`: the device-code grant answers RFC 8628's `authorization_pending`,
  `slow_down` (a poll sooner than `interval` after the last one; the interval then grows by
  5 s), `access_denied`, `expired_token`, and `invalid_grant` (unknown or already redeemed
  code); a bad client id or secret is `invalid_client` (401). A redeemed code gives an access
  token (1 hour, never beyond the sign-in session) and a refresh token (the session's life);
  the refresh grant rotates both. Tokens are opaque and stored as digests; they belong to the
  sign-in session, so ending it (logout, `batch_delete_sessions`, deleting the user) ends them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from idplane.instances.store_tables import IdentityStore
from idplane.platform.clock import as_utc, now
from idplane.platform.crypto import constant_time_equal, token_digest
from idplane.platform.db import Store, rowcount
from idplane.platform.errors import ApiError, Invalid, Unauthenticated
from idplane.signin import audit
from idplane.signin.oidc import schemas as s
from idplane.signin.tables import (
    ACTIVE,
    APPROVED,
    CONSUMED,
    DENIED,
    PENDING,
    DeviceAuthorization,
    OidcClient,
    OidcToken,
    SigninSession,
)

SECRET_LIFETIME = timedelta(days=90)
DEVICE_CODE_LIFETIME = timedelta(minutes=10)
ACCESS_LIFETIME = timedelta(hours=1)
INTERVAL = 5  # seconds; RFC 8628's default
SLOW_DOWN_STEP = 5
USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"


def oauth_error(error: str, message: str) -> ApiError:
    return Invalid(message, error)


def invalid_client() -> ApiError:
    return Unauthenticated(
        "The client id or client secret is invalid or expired.", "invalid_client"
    )


def portal_path(identity_store_id: str) -> str:
    return f"/{identity_store_id}/portal"


def format_user_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def normalize_user_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())[:16]


@dataclass(frozen=True)
class Issued:
    access_token: str
    refresh_token: str
    expires_in: int


class OidcService:
    def __init__(self, store: Store, endpoint: str):
        self.store = store
        self.endpoint = endpoint.rstrip("/")

    def register_client(self, body: s.RegisterClientBody) -> s.ClientInfo:
        client_id, secret, moment = secrets.token_urlsafe(24), secrets.token_urlsafe(48), now()
        scopes = sorted(set(body.scopes or []))
        with self.store.transaction() as session:
            session.add(
                OidcClient(
                    id=client_id,
                    secret_digest=token_digest(secret),
                    name=body.client_name,
                    grant_types=sorted(set(body.grant_types)),
                    scopes=scopes,
                    issued_at=moment,
                    secret_expires_at=moment + SECRET_LIFETIME,
                )
            )
        return s.ClientInfo(
            authorization_endpoint=f"{self.endpoint}/v1/authorize",
            client_id=client_id,
            client_id_issued_at=int(moment.timestamp()),
            client_secret=secret,
            client_secret_expires_at=int((moment + SECRET_LIFETIME).timestamp()),
            token_endpoint=f"{self.endpoint}/v1/tokens",
            scopes=scopes or None,
        )

    def start_device_authorization(
        self, body: s.StartDeviceAuthorizationBody
    ) -> s.StartDeviceAuthorizationResponse:
        device_code = secrets.token_urlsafe(48)
        with self.store.transaction() as session:
            _client(session, body.client_id, body.client_secret)
            store_id = self._store_of_start_url(session, body.start_url)
            user_code = _free_user_code(session)
            session.add(
                DeviceAuthorization(
                    device_code_digest=token_digest(device_code),
                    user_code=user_code,
                    client_id=body.client_id,
                    identity_store_id=store_id,
                    status=PENDING,
                    interval=INTERVAL,
                    expires_at=now() + DEVICE_CODE_LIFETIME,
                )
            )
        verification = f"{self.endpoint}{portal_path(store_id)}/device"
        return s.StartDeviceAuthorizationResponse(
            device_code=device_code,
            expires_in=int(DEVICE_CODE_LIFETIME.total_seconds()),
            interval=INTERVAL,
            user_code=format_user_code(user_code),
            verification_uri=verification,
            verification_uri_complete=f"{verification}?user_code={format_user_code(user_code)}",
        )

    def _store_of_start_url(self, session: Session, start_url: str) -> str:
        prefix = f"{self.endpoint}/"
        tail = start_url.rstrip("/")[len(prefix) :] if start_url.startswith(prefix) else ""
        store_id, _, rest = tail.partition("/")
        known = session.scalar(select(IdentityStore.id).where(IdentityStore.id == store_id))
        if rest != "portal" or known is None:
            raise oauth_error(
                "invalid_request",
                f"start_url must be this instance's portal URL, {prefix}<store id>/portal.",
            )
        return store_id

    def create_token(self, body: s.CreateTokenBody) -> s.TokenInfo:
        if body.grant_type == s.DEVICE_GRANT:
            if not body.device_code:
                raise oauth_error("invalid_request", "device_code is required for this grant.")
            issued = self._redeem_device_code(body.client_id, body.client_secret, body.device_code)
        elif body.grant_type == s.REFRESH_GRANT:
            if not body.refresh_token:
                raise oauth_error("invalid_request", "refresh_token is required for this grant.")
            issued = self._refresh(body.client_id, body.client_secret, body.refresh_token)
        else:
            with self.store.read() as session:
                _client(session, body.client_id, body.client_secret)
            raise oauth_error(
                "unsupported_grant_type", f"grant_type {body.grant_type} is not supported."
            )
        return s.TokenInfo(
            access_token=issued.access_token,
            refresh_token=issued.refresh_token,
            expires_in=issued.expires_in,
        )

    def _redeem_device_code(self, client_id: str, secret: str, device_code: str) -> Issued:
        """Every poll is recorded (for slow_down) before its answer, hence the deferred raise."""
        error: ApiError | None = None
        with self.store.transaction() as session:
            _client(session, client_id, secret)
            grant = session.scalar(
                select(DeviceAuthorization)
                .where(DeviceAuthorization.device_code_digest == token_digest(device_code))
                .with_for_update()
            )
            if grant is None or grant.client_id != client_id or grant.status == CONSUMED:
                raise oauth_error("invalid_grant", "The device code is invalid or already used.")
            moment = now()
            if as_utc(grant.expires_at) <= moment:
                raise oauth_error("expired_token", "The device code has expired.")
            polled = grant.last_polled_at
            grant.last_polled_at = moment
            if polled is not None and moment - as_utc(polled) < timedelta(seconds=grant.interval):
                grant.interval += SLOW_DOWN_STEP
                error = oauth_error("slow_down", f"Poll at most every {grant.interval} seconds.")
            elif grant.status == PENDING:
                error = oauth_error("authorization_pending", "The user has not yet approved.")
            elif grant.status == DENIED:
                error = oauth_error("access_denied", "The user denied the authorization.")
            else:
                issued = self._claim(session, grant)
        if error is not None:
            raise error
        return issued

    def _claim(self, session: Session, grant: DeviceAuthorization) -> Issued:
        claimed = rowcount(
            session.execute(
                update(DeviceAuthorization)
                .where(DeviceAuthorization.seq == grant.seq, DeviceAuthorization.status == APPROVED)
                .values(status=CONSUMED)
            )
        )
        signed_in = _session(session, grant.session_id)
        if claimed != 1 or signed_in is None or not _live(signed_in):
            raise oauth_error("invalid_grant", "The device code is invalid or already used.")
        return _issue(session, grant.client_id, signed_in)

    def _refresh(self, client_id: str, secret: str, refresh_token: str) -> Issued:
        with self.store.transaction() as session:
            _client(session, client_id, secret)
            row = session.scalar(
                select(OidcToken)
                .where(OidcToken.refresh_digest == token_digest(refresh_token))
                .with_for_update()
            )
            signed_in = _session(session, row.session_id if row else None)
            if (
                row is None
                or row.client_id != client_id
                or signed_in is None
                or not _live(signed_in)
            ):
                raise oauth_error("invalid_grant", "The refresh token is invalid or expired.")
            session.delete(row)  # rotation: a refresh token works once
            return _issue(session, client_id, signed_in)


def _client(session: Session, client_id: str, secret: str) -> OidcClient:
    client = session.scalar(select(OidcClient).where(OidcClient.id == client_id))
    if (
        client is None
        or not constant_time_equal(client.secret_digest, token_digest(secret))
        or as_utc(client.secret_expires_at) <= now()
    ):
        raise invalid_client()
    return client


def _free_user_code(session: Session) -> str:
    for _ in range(10):
        code = "".join(secrets.choice(USER_CODE_ALPHABET) for _ in range(8))
        if (
            session.scalar(
                select(DeviceAuthorization.seq).where(DeviceAuthorization.user_code == code)
            )
            is None
        ):
            return code
    raise ApiError("Could not allocate a user code; retry.", "IIC.500", status=503)


def _session(session: Session, session_id: str | None) -> SigninSession | None:
    if session_id is None:
        return None
    return session.scalar(select(SigninSession).where(SigninSession.id == session_id))


def _live(signed_in: SigninSession | None) -> bool:
    return (
        signed_in is not None and signed_in.state == ACTIVE and as_utc(signed_in.expires_at) > now()
    )


def _issue(session: Session, client_id: str, signed_in: SigninSession) -> Issued:
    access, refresh, moment = secrets.token_urlsafe(48), secrets.token_urlsafe(48), now()
    expires_at: datetime = min(moment + ACCESS_LIFETIME, as_utc(signed_in.expires_at))
    session.add(
        OidcToken(
            access_digest=token_digest(access),
            refresh_digest=token_digest(refresh),
            client_id=client_id,
            session_id=signed_in.id,
            access_expires_at=expires_at,
        )
    )
    audit.record(
        session,
        "oidc:createToken",
        signed_in.identity_store_id,
        user_id=signed_in.user_id,
        succeeded=True,
        credential=signed_in.id,
    )
    return Issued(access, refresh, max(1, int((expires_at - moment).total_seconds())))


class DeviceApprovals:
    """What the verification page does with a user code: show it, approve it or deny it."""

    def __init__(self, store: Store):
        self.store = store

    def pending(self, identity_store_id: str, user_code: str) -> str | None:
        """The client name asking with that code, when the code is pending in that store."""
        with self.store.read() as session:
            found = session.execute(
                select(DeviceAuthorization, OidcClient.name)
                .join(OidcClient, OidcClient.id == DeviceAuthorization.client_id)
                .where(DeviceAuthorization.user_code == normalize_user_code(user_code))
            ).first()
            if found is None or not _pending(found[0], identity_store_id):
                return None
            return found[1]

    def decide(
        self, session_id: str, identity_store_id: str, user_code: str, approve: bool
    ) -> bool:
        """Approves or denies a pending code on behalf of the signed-in session; False when
        the code is unknown, expired, already decided or of another identity store."""
        with self.store.transaction() as session:
            grant = session.scalar(
                select(DeviceAuthorization)
                .where(DeviceAuthorization.user_code == normalize_user_code(user_code))
                .with_for_update()
            )
            signed_in = _session(session, session_id)
            if (
                grant is None
                or not _pending(grant, identity_store_id)
                or signed_in is None
                or not _live(signed_in)
            ):
                return False
            grant.status = APPROVED if approve else DENIED
            grant.session_id = session_id
            audit.record(
                session,
                "oidc:approveDevice" if approve else "oidc:denyDevice",
                identity_store_id,
                user_id=signed_in.user_id,
                succeeded=True,
                credential=session_id,
                resource=f"clients/{grant.client_id}",
            )
            return True


def _pending(grant: DeviceAuthorization, identity_store_id: str) -> bool:
    return (
        grant.status == PENDING
        and grant.identity_store_id == identity_store_id
        and as_utc(grant.expires_at) > now()
    )
