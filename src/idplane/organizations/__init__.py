"""Organizations: the organization, its root and member accounts, trusted services and
delegated administrators, which Identity Center's "who may administer" rule stands on."""
