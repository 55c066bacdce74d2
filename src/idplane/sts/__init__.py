"""STS (`/v5/...`): assuming agencies, the caller's identity, decoding denial messages."""
