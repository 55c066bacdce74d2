"""Request bodies of /v3/domains (Keystone's wire names)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr


class DomainUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: StrictStr | None = None
    description: StrictStr | None = Field(None, max_length=255)
    enabled: StrictBool = True
    options: dict | None = None


class DomainUpdateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    domain: DomainUpdate
