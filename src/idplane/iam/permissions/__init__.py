"""Grants of roles and policies to groups, and the policy source the Authorizer evaluates."""
