"""Agencies (`/v3.0/OS-AGENCY`): delegations to another account or a cloud service."""
