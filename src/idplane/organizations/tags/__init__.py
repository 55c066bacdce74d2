"""Tags on the root, organizational units, accounts and policies of an organization."""
