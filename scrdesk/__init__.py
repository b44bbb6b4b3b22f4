"""scrdesk: a desktop case tracker for a safeguarding children partnership's review sub group."""

__version__ = "0.1.0"
