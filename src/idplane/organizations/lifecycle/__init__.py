"""Accounts in and out of an organization (update, close, leave, resource accounts) and the
organization's quotas and service catalogs."""
