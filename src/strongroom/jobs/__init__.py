"""Scheduled jobs: a door like the web one, driven by time instead of requests."""
