"""IAM user groups and their members (Keystone `/v3/groups`)."""
