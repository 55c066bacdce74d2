"""Identity Store groups: named sets of users in an identity store."""
