"""Application assignments: users and groups assigned to application instances."""
