"""Permission sets of an Identity Center instance: what they hold (system policies and roles,
a custom policy and a custom role, tags) and where they are provisioned."""
