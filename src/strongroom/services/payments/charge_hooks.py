"""Work a caller joins to a charge's unit of work: a claim made before the processor is asked,
and a record written with the transaction, so both commit or roll back with the charge."""

from __future__ import annotations

from typing import Protocol

from strongroom.services.ports import TransactionRecord, UnitOfWork


class ClaimLost(Exception):
    """The work a charge was for is taken or gone (another worker claimed it, or it is no longer
    due): the charge is abandoned before the processor is asked, and nothing is stored."""


class ChargeHook(Protocol):
    def claim(self, uow: UnitOfWork) -> None:
        """Runs in the charge's write unit before the processor is asked; raises ClaimLost to
        abandon the charge."""
        ...

    def record(self, uow: UnitOfWork, record: TransactionRecord) -> None:
        """Runs in the same unit once the transaction is stored, before the commit."""
        ...
