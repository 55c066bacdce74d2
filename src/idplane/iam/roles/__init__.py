"""Permissions: system roles and policies (a data file) and custom policies (`/v3.0/OS-ROLE`)."""
