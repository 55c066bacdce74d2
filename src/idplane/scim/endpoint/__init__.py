"""The SCIM 2.0 endpoint `/{tenant_id}/scim/v2/` of a provisioning tenant (RFC 7643/7644).

- `api`: the thin web adapter (bearer authentication, JSON bodies, ETag headers, media type)
- `service`: one transaction per request, If-Match, uniqueness, deletion through the directory
- `users`, `groups`: SCIM resources <-> the identity store's rows (shared with the Identity
  Store API), and which attributes map to which columns
- `query`: list requests: filters pushed to SQL where the core can, else in memory over a
  bounded candidate set; sorting and 1-based paging
The protocol itself (filters, PATCH, projection, schema documents) is `idplane.scim`.
"""
