"""Invitations (handshakes) of existing accounts into an organization."""
