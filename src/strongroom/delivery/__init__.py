"""Outbound HTTP adapters: where webhook notifications leave the server."""
