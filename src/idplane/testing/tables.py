"""The mark a store carries once a server was started on it for testing (one row)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class TestingMark(Base):
    __tablename__ = "idplane_testing_mark"
    __test__ = False  # not a pytest test class

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
