"""Definitions shared by the door's feature packages: the envelope, directResponse records."""
