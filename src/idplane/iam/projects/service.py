"""Projects of an account: the region's project (made with the account) and subprojects named
`<region>_<suffix>` under it.

Listing and showing the account's own projects needs no permission: SDK clients look up their
project with `GET /v3/projects?name=<region>` before anything else, as any IAM user may.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.iam.tables import Project
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store
from idplane.platform.errors import Conflict, Invalid, NotFound, QuotaExceeded

MAX_SUBPROJECTS = 10  # per region, the real service's default quota


@dataclass(frozen=True)
class ProjectFilter:
    domain_id: str | None = None
    name: str | None = None
    parent_id: str | None = None
    enabled: bool | None = None
    is_domain: bool | None = None


class ProjectService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    def list_projects(self, caller: Caller, query: ProjectFilter) -> list[Project]:
        if query.is_domain or query.domain_id not in (None, caller.account_id):
            return []
        with self.store.read() as session:
            stmt = select(Project).where(Project.account_id == caller.account_id)
            if query.name is not None:
                stmt = stmt.where(Project.name == query.name)
            if query.enabled is not None:
                stmt = stmt.where(Project.enabled.is_(query.enabled))
            if query.parent_id == caller.account_id:
                stmt = stmt.where(Project.parent_id.is_(None))
            elif query.parent_id is not None:
                stmt = stmt.where(Project.parent_id == query.parent_id)
            return list(session.scalars(stmt.order_by(Project.seq)))

    def show_project(self, caller: Caller, project_id: str) -> Project:
        with self.store.read() as session:
            return project_in(session, caller.account_id, project_id)

    def create_project(
        self,
        caller: Caller,
        name: str,
        parent_id: str,
        domain_id: str | None,
        description: str | None,
    ) -> Project:
        self.authorizer.authorize(
            caller, "iam:projects:createProject", account_id=domain_id or caller.account_id
        )
        with self.store.transaction() as session:
            parent = session.scalar(
                select(Project)
                .where(Project.id == parent_id, Project.account_id == caller.account_id)
                .with_for_update()  # counts concurrent creations under the same region
            )
            if parent is None or parent.parent_id is not None:
                raise Invalid("parent_id must be the id of a region's project.", "IAM.0007")
            _check_name(name, parent.name)
            siblings = (
                session.scalar(
                    select(func.count()).select_from(Project).where(Project.parent_id == parent.id)
                )
                or 0
            )
            if siblings >= MAX_SUBPROJECTS:
                raise QuotaExceeded(
                    f"A region has at most {MAX_SUBPROJECTS} subprojects.", "IAM.0007"
                )
            project = Project(
                id=ids.hex32(),
                account_id=caller.account_id,
                name=name,
                description=_description(description),
                parent_id=parent.id,
                created_at=now(),
                enabled=True,
            )
            session.add(project)
            _flush_unique(session, name)
            return project

    def update_project(
        self, caller: Caller, project_id: str, name: str | None, description: str | None
    ) -> Project:
        self.authorizer.authorize(
            caller, "iam:projects:updateProject", account_id=caller.account_id
        )
        with self.store.transaction() as session:
            project = project_in(session, caller.account_id, project_id)
            if name is not None and name != project.name:
                if project.parent_id is None:
                    raise Invalid("A region's project cannot be renamed.", "IAM.0007")
                parent = project_in(session, caller.account_id, project.parent_id)
                _check_name(name, parent.name)
                project.name = name
            if description is not None:
                project.description = _description(description)
            _flush_unique(session, project.name)
            return project


def project_in(session: Session, account_id: str, project_id: str) -> Project:
    project = session.scalar(
        select(Project).where(Project.id == project_id, Project.account_id == account_id)
    )
    if project is None:
        raise NotFound(f"Could not find project: {project_id}.")
    return project


def _check_name(name: str, region: str) -> None:
    prefix = f"{region}_"
    if not name.startswith(prefix) or len(name) == len(prefix) or len(name) > 64:
        raise Invalid(
            f"A subproject's name is {prefix}<suffix>, at most 64 characters.", "IAM.0007"
        )


def _description(description: str | None) -> str:
    if description is not None and len(description) > 255:
        raise Invalid("The description must have at most 255 characters.", "IAM.0007")
    return description or ""


def _flush_unique(session: Session, name: str) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"A project named {name} already exists.") from None
