"""Filtering a list of SCIM resources in memory, as the in-memory reference server does (the
real endpoint filters in SQL, see `idplane.scim.filters_sql`)."""

from __future__ import annotations

from typing import Any

from idplane.scim.filters import Expr
from idplane.scim.matching import matches


def filter_resources(expr: Expr | None, resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return list(resources) if expr is None else [r for r in resources if matches(expr, r)]
