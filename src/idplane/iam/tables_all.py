"""Every IAM table module, for migrations and `idplane.tables`."""

import idplane.iam.agencies.tables
import idplane.iam.groups.tables
import idplane.iam.permissions.tables
import idplane.iam.roles.tables
import idplane.iam.sessions.tables
import idplane.iam.tables  # noqa: F401
