"""Recurring billing (ARB): subscription lifecycle, updates, rules, requests and billing."""
