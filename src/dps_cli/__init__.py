"""dps: tools for the DWP Dynamic Purchasing System (offers, business cases, matching, payments)."""

__version__ = "0.1.0"
