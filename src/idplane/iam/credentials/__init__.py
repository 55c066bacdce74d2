"""Permanent access keys (AK/SK) of IAM users: `/v3.0/OS-CREDENTIAL/credentials`."""
