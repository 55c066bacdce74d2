"""Policies of an organization: service control policies (enforced as guardrails on every
request in member accounts) and tag policies, their attachments and their dry-run twins."""
