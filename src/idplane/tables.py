"""Every service's tables, so migrations and tests see the whole schema. Add a line per service."""


def load_all_tables() -> None:
    import idplane.federation.tables
    import idplane.iam.mfa.tables
    import idplane.iam.tables
    import idplane.iam.tables_all
    import idplane.identitycenter.applications.tables
    import idplane.identitycenter.assignments.tables
    import idplane.identitycenter.permission_sets.tables
    import idplane.identitycenter.settings.tables
    import idplane.identitystore.directory.tables
    import idplane.identitystore.external_idp.tables
    import idplane.identitystore.password_policy.tables
    import idplane.identitystore.provisioning.tables
    import idplane.instances.store_tables
    import idplane.instances.tables
    import idplane.lakeformation.tables
    import idplane.organizations.tables
    import idplane.platform.audit
    import idplane.platform.keycheck
    import idplane.signin.tables
    import idplane.testing.tables  # noqa: F401
