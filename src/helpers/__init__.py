"""Party-organisation rating studies: clean, check published numbers, test pilots, export."""

__version__ = "0.1.0"
