"""The floor below Identity Center and its Identity Store: the instance and its identity store
(tables), the gate every operation on them passes (management account or delegated
administrator), the Identity Center error vocabulary and the shared path and query types.
`identitycenter/` and `identitystore/` both build on it; it imports neither."""
