"""The analyzer: a streaming, constant-memory CSV profiler (S3 -> JSON report -> S3)."""

__version__ = "0.1.0"
