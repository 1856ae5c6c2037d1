"""baocao: a Git-based report-submission repository with a static status site."""

__version__ = "0.1.0"
