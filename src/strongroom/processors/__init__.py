"""Processor adapters; reason codes are Authorize.Net's numbers, Strongroom's decline vocabulary."""

from strongroom.processors.simulated import SimulatedProcessor
from strongroom.processors.triggers import ReasonCode, render_trigger_table_markdown

__all__ = ["ReasonCode", "SimulatedProcessor", "render_trigger_table_markdown"]
