"""Identity Store users: the people of an identity store (create, describe, list, update by
attribute operations, enable/disable, delete)."""
