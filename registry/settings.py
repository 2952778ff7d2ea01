"""The one settings object, read from the environment (and an optional ``.env`` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings", "PROJECT_ROOT"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    environment: Literal["development", "test", "production"] = Field(
        "development", alias="CHUYENGIA_ENV"
    )

    # An existing Neo4j 5 (server, cluster, Aura). When unset, the project runs its own.
    neo4j_uri: str | None = Field(None, alias="NEO4J_URI")
    neo4j_user: str = Field("neo4j", alias="NEO4J_USER")
    neo4j_password: str | None = Field(None, alias="NEO4J_PASSWORD")
    neo4j_database: str = Field("neo4j", alias="NEO4J_DATABASE")

    # The project's own Neo4j Community server.
    data_dir: Path = Field(PROJECT_ROOT / "var" / "neo4j", alias="CHUYENGIA_DATA_DIR")
    local_port: int = Field(7687, alias="CHUYENGIA_NEO4J_PORT", ge=1024, le=65535)
    local_heap: str = Field("1g", alias="CHUYENGIA_NEO4J_HEAP")
    local_pagecache: str = Field("1g", alias="CHUYENGIA_NEO4J_PAGECACHE")
    start_timeout: float = Field(180.0, alias="CHUYENGIA_NEO4J_START_TIMEOUT", gt=0)
    db_retry_seconds: float = Field(1.5, alias="CHUYENGIA_DB_RETRY_SECONDS", ge=0)
    db_pool_size: int = Field(50, alias="CHUYENGIA_DB_POOL_SIZE", ge=1)

    # HTTP API.
    host: str = Field("127.0.0.1", alias="CHUYENGIA_HOST")
    port: int = Field(8000, alias="CHUYENGIA_PORT", ge=1, le=65535)
    graphiql: bool | None = Field(None, alias="CHUYENGIA_GRAPHIQL")
    introspection: bool = Field(True, alias="CHUYENGIA_INTROSPECTION")
    max_query_depth: int = Field(12, alias="CHUYENGIA_MAX_DEPTH", ge=2)
    max_aliases: int = Field(30, alias="CHUYENGIA_MAX_ALIASES", ge=1)
    max_tokens: int = Field(2000, alias="CHUYENGIA_MAX_TOKENS", ge=100)
    max_body_bytes: int = Field(10_000_000, alias="CHUYENGIA_MAX_BODY_BYTES", ge=1024)
    max_import_bytes: int = Field(8_000_000, alias="CHUYENGIA_MAX_IMPORT_BYTES", ge=1024)
    rate_limit_per_minute: int = Field(600, alias="CHUYENGIA_RATE_LIMIT", ge=1)

    # Matcher models.
    model_dir: Path = Field(PROJECT_ROOT / "var" / "models", alias="CHUYENGIA_MODEL_DIR")
    # Threads numpy's BLAS and OpenMP pools may use per call in a process running the matcher.
    # One: a ranking's products are small, and the cores belong to concurrent requests and,
    # on one machine, to Neo4j (idle BLAS threads spin and take its CPU). See
    # docs/benchmarks.md, "Matching speed".
    math_threads: int = Field(1, alias="CHUYENGIA_MATH_THREADS", ge=1, le=256)

    @field_validator("neo4j_uri")
    @classmethod
    def _scheme(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        allowed = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
        if not v.startswith(allowed):
            raise ValueError(f"NEO4J_URI must start with one of {', '.join(allowed)}")
        return v

    @model_validator(mode="after")
    def _external_needs_password(self) -> Settings:
        if self.neo4j_uri and not self.neo4j_password:
            raise ValueError("NEO4J_PASSWORD is required when NEO4J_URI points at an existing Neo4j")
        return self

    @model_validator(mode="after")
    def _import_fits_in_a_request(self) -> Settings:
        # An import travels inside one GraphQL request: its own limit must be the one to bite.
        if self.max_import_bytes >= self.max_body_bytes:
            raise ValueError(
                "CHUYENGIA_MAX_IMPORT_BYTES must be smaller than CHUYENGIA_MAX_BODY_BYTES"
            )
        return self

    @property
    def uses_local_server(self) -> bool:
        return self.neo4j_uri is None

    @property
    def graphiql_enabled(self) -> bool:
        return self.environment == "development" if self.graphiql is None else self.graphiql


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
