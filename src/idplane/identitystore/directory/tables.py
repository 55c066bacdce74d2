"""Every table of the identity store's directory, for `idplane.tables.load_all_tables()`."""

from idplane.identitystore.groups.tables import Group, GroupExternalId
from idplane.identitystore.memberships.tables import GroupMembership
from idplane.identitystore.users.tables import User, UserExternalId

__all__ = ["Group", "GroupExternalId", "GroupMembership", "User", "UserExternalId"]
