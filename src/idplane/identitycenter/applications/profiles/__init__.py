"""Profiles: the association of an application instance with its users and groups."""
