"""IAM Identity Center: starting and deleting the organization's instance, its region, and
what hangs off the instance (permission sets, account assignments, applications, settings).
The instance itself and the gate live in `idplane.instances`."""
