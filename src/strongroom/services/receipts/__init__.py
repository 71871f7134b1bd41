"""Customer receipts: their text, queued in the outbox, mailed by the outbox job."""
