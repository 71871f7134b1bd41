"""The sandbox clock's offset from system time, kept in the database so every process that
shares it (servers, `strongroom jobs run`, `strongroom clock show`) sees one sandbox time."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select, update

from strongroom.storage.engine import transaction
from strongroom.storage.tables import sandbox_clock

_ROW = 1
_SECOND = timedelta(seconds=1)


class SqlClockOffsets:
    """ClockOffsets on its own short transactions."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def offset(self) -> timedelta:
        with transaction(self._engine, write=False) as connection:
            seconds = connection.execute(
                select(sandbox_clock.c.offset_seconds).where(sandbox_clock.c.key == _ROW)
            ).scalar()
        return timedelta(seconds=int(seconds or 0))

    def advance(self, delta: timedelta) -> timedelta:
        """Add whole seconds of `delta` (a fraction is dropped) in one write transaction."""
        seconds = delta // _SECOND
        with transaction(self._engine, write=True) as connection:
            moved = connection.execute(
                update(sandbox_clock)
                .where(sandbox_clock.c.key == _ROW)
                .values(offset_seconds=sandbox_clock.c.offset_seconds + seconds)
            )
            if moved.rowcount == 0:
                connection.execute(sandbox_clock.insert().values(key=_ROW, offset_seconds=seconds))
            total = connection.execute(
                select(sandbox_clock.c.offset_seconds).where(sandbox_clock.c.key == _ROW)
            ).scalar_one()
        return timedelta(seconds=int(total))
