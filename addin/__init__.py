"""Customer journey map add-in: validate a journey workbook, find where it hurts, rank what to fix."""

__version__ = "0.1.0"
