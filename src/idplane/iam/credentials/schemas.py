"""Wire models of permanent access keys (`OS-CREDENTIAL/credentials`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from idplane.iam.schemas import Open


class CreateFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    user_id: str
    description: str | None = None


class CreateBody(BaseModel):
    credential: CreateFields


class UpdateFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    status: str | None = None
    description: str | None = None


class UpdateBody(BaseModel):
    credential: UpdateFields


class CredentialOut(Open):
    user_id: str
    access: str
    status: str
    create_time: str
    description: str = ""


class CreatedCredential(CredentialOut):
    secret: str


class CreatedResponse(Open):
    credential: CreatedCredential


class CredentialResponse(Open):
    credential: CredentialOut


class CredentialsResponse(Open):
    credentials: list[CredentialOut]
