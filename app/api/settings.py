"""One pydantic-settings class: every knob of the service, readable from GATESCOPE_* variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Read once at start-up; GATESCOPE_MAX_CHARS=2000 and so on override the defaults."""

    model_config = SettingsConfigDict(env_prefix="GATESCOPE_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    # More processes for more cores (`gatescope serve` only); each loads the models once.
    workers: int = Field(default=1, ge=1, le=64)
    models_dir: Path | None = None  # extra model directories served beside the shipped ones
    default_model: str = "lstm"
    max_chars: int = Field(default=5000, ge=1)
    max_tokens: int = Field(default=1000, ge=1)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    # Four decimals keep the wire small; the CLI and the Python API keep full float32 precision.
    precision: int = Field(default=4, ge=0, le=9)
    # A client that reads nothing of an answer for this many seconds is dropped (its socket and
    # buffers freed); at most max_streams streams are open at once per process, the next a 503.
    stream_send_timeout: float = Field(default=30.0, gt=0)
    max_streams: int = Field(default=256, ge=1)
    # Figure exports run on their own threads (never the traces'); this many more may wait for
    # one, the next is a 503 with Retry-After.
    export_threads: int = Field(default=2, ge=1, le=16)
    export_queue: int = Field(default=8, ge=0)
    # Cross-origin reads are off unless listed, e.g. GATESCOPE_CORS_ORIGINS='["https://a.org"]'.
    cors_origins: list[str] = Field(default_factory=list)
