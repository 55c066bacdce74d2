"""Account assignments: which user or group of the instance's identity store holds which
permission set in which account of the organization, and disassociate-profile."""
