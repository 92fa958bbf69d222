"""harvester: turn archived web forums into research datasets."""

__version__ = "0.1.0"
