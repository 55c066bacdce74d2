"""IAM Identity Center: the organization's instance, its region, and the gate every Identity
Center and Identity Store operation passes (management account or delegated administrator)."""
