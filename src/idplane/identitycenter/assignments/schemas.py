"""Wire models of the account assignment APIs and disassociate-profile (names from the SDK's
attribute maps)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from idplane.identitycenter.assignments.records import Grant
from idplane.identitycenter.assignments.tables import AccountAssignment, AssignmentOperation
from idplane.instances.schemas import Body, Id, PageInfo, page_info
from idplane.platform.clock import epoch_ms
from idplane.platform.paging import Page

PrincipalType = Literal["USER", "GROUP"]


class AssignmentBody(Body):
    """CreateAccountAssignmentReqBody and DeleteAccountAssignmentReqBody: all required."""

    permission_set_id: Id
    principal_id: Id
    principal_type: PrincipalType
    target_id: Id
    target_type: Literal["ACCOUNT"]

    def grant(self) -> Grant:
        return Grant(
            self.permission_set_id,
            self.principal_type,
            self.principal_id,
            self.target_id,
            self.target_type,
        )


class DisassociateProfileBody(Body):
    id: Id
    accessor_type: PrincipalType
    identity_store_id: Id


class OperationStatusOut(BaseModel):
    created_date: int
    failure_reason: str | None = None
    permission_set_id: str
    principal_id: str
    principal_type: str
    request_id: str
    status: str
    target_id: str
    target_type: str


class CreationStatusResponse(BaseModel):
    account_assignment_creation_status: OperationStatusOut


class DeletionStatusResponse(BaseModel):
    account_assignment_deletion_status: OperationStatusOut


class StatusMetadataOut(BaseModel):
    created_date: int
    request_id: str
    status: str


class CreationStatusesResponse(BaseModel):
    account_assignments_creation_status: list[StatusMetadataOut]
    page_info: PageInfo


class DeletionStatusesResponse(BaseModel):
    account_assignments_deletion_status: list[StatusMetadataOut]
    page_info: PageInfo


class AssignmentOut(BaseModel):
    account_id: str
    permission_set_id: str
    principal_id: str
    principal_type: str


class AssignmentsResponse(BaseModel):
    account_assignments: list[AssignmentOut]
    page_info: PageInfo


def _status(record: AssignmentOperation) -> OperationStatusOut:
    return OperationStatusOut(
        created_date=epoch_ms(record.created_at),
        failure_reason=record.failure_reason,
        permission_set_id=record.permission_set_id,
        principal_id=record.principal_id,
        principal_type=record.principal_type,
        request_id=record.id,
        status=record.status,
        target_id=record.target_id,
        target_type=record.target_type,
    )


def creation_out(record: AssignmentOperation) -> CreationStatusResponse:
    return CreationStatusResponse(account_assignment_creation_status=_status(record))


def deletion_out(record: AssignmentOperation) -> DeletionStatusResponse:
    return DeletionStatusResponse(account_assignment_deletion_status=_status(record))


def _metadata(page: Page) -> list[StatusMetadataOut]:
    return [
        StatusMetadataOut(created_date=epoch_ms(r.created_at), request_id=r.id, status=r.status)
        for r in page.rows
    ]


def creations_out(page: Page) -> CreationStatusesResponse:
    return CreationStatusesResponse(
        account_assignments_creation_status=_metadata(page), page_info=page_info(page)
    )


def deletions_out(page: Page) -> DeletionStatusesResponse:
    return DeletionStatusesResponse(
        account_assignments_deletion_status=_metadata(page), page_info=page_info(page)
    )


def assignments_out(page: Page) -> AssignmentsResponse:
    rows: list[AccountAssignment] = page.rows
    return AssignmentsResponse(
        account_assignments=[
            AssignmentOut(
                account_id=row.account_id,
                permission_set_id=row.permission_set_id,
                principal_id=row.principal_id,
                principal_type=row.principal_type,
            )
            for row in rows
        ],
        page_info=page_info(page),
    )
