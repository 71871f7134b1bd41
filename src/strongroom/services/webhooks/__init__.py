"""Webhooks: events recorded in each change, management, signing and delivery."""
