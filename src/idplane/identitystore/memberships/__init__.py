"""Identity Store group memberships: which user belongs to which group."""
