"""Keystone's /v3/domains for accounts: each account is one Keystone domain."""
