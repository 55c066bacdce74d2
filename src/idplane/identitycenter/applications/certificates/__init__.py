"""Signing certificates of application instances."""
