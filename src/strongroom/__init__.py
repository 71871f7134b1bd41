"""Strongroom: a self-hosted customer vault and payment gateway speaking the Authorize.Net API."""

__version__ = "0.1.0"
