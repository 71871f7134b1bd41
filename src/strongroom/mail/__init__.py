"""Mail adapters: where the outbox's messages are handed over (SMTP)."""
