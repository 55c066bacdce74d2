"""IAM: accounts (domains), users, projects, AK/SK credentials, tokens, temporary credentials."""
