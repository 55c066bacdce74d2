"""The SCIM 2.0 protocol core: plain data in, plain data out, no web framework, no sessions.

- `schemas`: the discovery documents (package data) and the attribute model read from them
- `filters`: filter and PATCH-path grammar into an AST; `matching`: in-memory evaluation;
  `filters_sql`: push-down to SQLAlchemy when every leaf maps to a column
- `patch`: PATCH operations over a resource dict; `values`: value checks, POST/PUT bodies
- `projection`: `attributes`/`excludedAttributes`; `listing`: sorting, paging, ListResponse
Errors are `platform.errors.Invalid/NotFound` with RFC 7644 `scim_type`s.
"""
