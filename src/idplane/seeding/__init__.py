"""Seed files: `idplane seed FILE.yaml` (and `serve --seed FILE`) builds a described world
through the services the API uses, in one transaction; `idplane export` writes one back.
The format is documented in docs/seeding.md."""
