"""Recurring-billing (ARB) operations: messages, decode, handlers, views."""
