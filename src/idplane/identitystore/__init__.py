"""Identity Store: the identity store of an Identity Center instance (users, groups and the rest
hang off it)."""
