"""Settings read from the environment (prefix ``STOREOPS_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from storeops.errors import DomainError

DEFAULT_SECRET_KEY = "change-me-storeops-demo-secret"  # noqa: S105 - the documented demo default


class InsecureSecretKey(DomainError):
    code = "insecure_secret_key"


class Settings(BaseSettings):
    """Everything storeops reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="STOREOPS_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"), description="Where the embedded database and files live."
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; defaults to a SQLite file in the data directory.",
    )
    secret_key: str = Field(default=DEFAULT_SECRET_KEY, min_length=16)
    demo: bool = Field(default=False, description="Demo mode allows the default secret key.")
    session_idle_minutes: int = Field(default=120, ge=5)
    session_absolute_hours: int = Field(default=12, ge=1)
    login_max_failures: int = Field(default=10, ge=3)
    login_lockout_minutes: int = Field(default=15, ge=1)
    login_max_failures_per_address: int = Field(
        default=10, ge=3, description="Failed sign-ins from one address before it is throttled."
    )

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the embedded SQLite database under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'storeops.db').resolve()}"

    def require_server_secret(self) -> None:
        """Refuse to serve with the published default secret outside demo mode."""
        if self.secret_key == DEFAULT_SECRET_KEY and not self.demo:
            raise InsecureSecretKey(
                "STOREOPS_SECRET_KEY is the published default; set a secret of your own "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) "
                "or run in demo mode with STOREOPS_DEMO=1."
            )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; call ``get_settings.cache_clear()`` in tests)."""
    return Settings()
