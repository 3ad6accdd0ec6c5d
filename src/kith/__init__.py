"""kith: a local-first system that turns online relationships into real-life ones."""

__version__ = "0.1.0"
