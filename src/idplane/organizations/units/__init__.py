"""Organizational units: the organization's tree under its root, and moving accounts in it."""
