"""How IAM objects look on the wire, shared by IAM's routers: every object's view (users,
groups, roles, projects, agencies, access keys, domains), its links and the several time
formats the real API mixes (each noted where it is used)."""

from __future__ import annotations

from datetime import datetime

from idplane.iam.agencies.tables import Agency
from idplane.iam.groups.tables import Group
from idplane.iam.roles.catalog import SystemRole
from idplane.iam.roles.service import Role
from idplane.iam.tables import AccessKey, Account, Project, User
from idplane.platform.clock import as_utc, epoch_ms, iso_z


def links(endpoint: str, path: str, paged: bool = False) -> dict:
    """Keystone `links`; list and show results also carry `previous`/`next` (always null)."""
    body: dict = {"self": f"{endpoint}{path}"}
    if paged:
        body.update(previous=None, next=None)
    return body


def ms(moment: datetime | None) -> int | None:
    """Groups: epoch milliseconds as a number."""
    return epoch_ms(as_utc(moment)) if moment else None


def ms_text(moment: datetime | None) -> str | None:
    """Custom policies: epoch milliseconds as a string."""
    return str(epoch_ms(as_utc(moment))) if moment else None


def dotted(moment: datetime | None) -> str | None:
    """OS-USER users: `2020-07-08 02:19:03.0`."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M:%S.%f")[:-5] if moment else None


def iso_local(moment: datetime | None) -> str | None:
    """Agencies: `2020-01-04T03:37:16.000000` (UTC, no zone designator)."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%f") if moment else None


def page_of(items: list, page: int | None, per_page: int | None, maximum: int) -> list:
    """`page`/`per_page` paging of the APIs that have it (both or neither, as the real API)."""
    from idplane.platform.errors import Invalid

    if page is None and per_page is None:
        return items
    if page is None or per_page is None:
        raise Invalid("page and per_page must be given together.", "IAM.0007")
    if page < 1 or not 1 <= per_page <= maximum:
        raise Invalid(f"page must be >= 1 and per_page between 1 and {maximum}.", "IAM.0007")
    return items[(page - 1) * per_page : page * per_page]


# Views ------------------------------------------------------------------------------------


def keystone_view(user: User, endpoint: str, paged: bool = False) -> dict:
    return {
        "id": user.id,
        "name": user.name,
        "domain_id": user.account_id,
        "enabled": user.enabled,
        "description": user.description,
        "pwd_status": user.pwd_status,
        "access_mode": user.access_mode,
        "password_expires_at": None,
        "links": links(endpoint, f"/v3/users/{user.id}", paged),
    }


def os_view(user: User, endpoint: str, paged: bool = False) -> dict:
    return {
        "id": user.id,
        "name": user.name,
        "domain_id": user.account_id,
        "enabled": user.enabled,
        "is_domain_owner": user.is_root,
        "access_mode": user.access_mode,
        "description": user.description,
        "email": user.email,
        "areacode": user.areacode,
        "phone": user.phone,
        "xuser_id": user.xuser_id,
        "xuser_type": user.xuser_type,
        "pwd_status": user.pwd_status,
        "create_time": dotted(user.created_at),
        "update_time": dotted(user.updated_at),
        "last_login_time": dotted(user.last_login_at),
        "pwd_create_time": dotted(user.password_changed_at),
        "links": links(endpoint, f"/v3.0/OS-USER/users/{user.id}", paged),
    }


def group_view(group: Group, endpoint: str, paged: bool = False) -> dict:
    return {
        "id": group.id,
        "name": group.name,
        "domain_id": group.account_id,
        "description": group.description,
        "create_time": ms(group.created_at),
        "links": links(endpoint, f"/v3/groups/{group.id}", paged),
    }


def role_view(role: Role, endpoint: str, custom: bool = False) -> dict:
    """A permission as `/v3/roles` shows it (`custom`: as OS-ROLE shows its own policies)."""
    path = f"/v3.0/OS-ROLE/roles/{role.id}" if custom else f"/v3/roles/{role.id}"
    view = {
        "id": role.id,
        "name": role.name,
        "display_name": role.display_name,
        "type": role.type,
        "description": role.description,
        "description_cn": role.description_cn,
        "policy": role.policy,
        "links": links(endpoint, path, paged=not custom),
    }
    if isinstance(role, SystemRole):
        view.update(catalog=role.catalog, flag=role.flag, domain_id=None)
    else:
        view.update(
            catalog="CUSTOMED",
            domain_id=role.account_id,
            created_time=ms_text(role.created_at),
            updated_time=ms_text(role.updated_at),
        )
    return view


def project_view(project: Project, endpoint: str) -> dict:
    return {
        "id": project.id,
        "name": project.name,
        "domain_id": project.account_id,
        "parent_id": project.parent_id or project.account_id,
        "enabled": project.enabled,
        "is_domain": False,
        "description": project.description,
        "links": links(endpoint, f"/v3/projects/{project.id}"),
    }


def agency_view(agency: Agency) -> dict:
    return {
        "id": agency.id,
        "name": agency.name,
        "domain_id": agency.account_id,
        "trust_domain_id": agency.trust_domain_id,
        "trust_domain_name": agency.trust_domain_name,
        "description": agency.description,
        "duration": agency.duration,
        "create_time": iso_local(agency.created_at),
        "expire_time": iso_local(agency.expires_at),
        "agency_urn": f"iam::{agency.account_id}:agency:{agency.name}",
    }


def credential_view(key: AccessKey, shown: bool = False) -> dict:
    view: dict[str, str | None] = {
        "user_id": key.user_id,
        "access": key.access,
        "status": key.status,
        "create_time": iso_z(key.created_at),
        "description": key.description,
    }
    if shown:
        view["last_use_time"] = iso_z(key.last_used_at) if key.last_used_at else None
    return view


def domain_view(account: Account, endpoint: str) -> dict:
    return {
        "id": account.id,
        "name": account.name,
        "description": account.description,
        "enabled": account.enabled,
        "options": {},
        "links": {"self": f"{endpoint}/v3/domains/{account.id}"},
    }
