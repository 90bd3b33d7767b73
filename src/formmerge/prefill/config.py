"""The source configuration: which relation holds which catalog item, and how people relate.

A configuration is YAML (or the equivalent mapping) validated by the pydantic models below. The
models check shapes and identifiers; :mod:`formmerge.prefill.loading` checks the configuration
against the catalog and reports every problem with its file and line.

Identifiers (relation, column and filter names) must match :data:`IDENTIFIER` and are always
double-quoted in SQL; configuration values (filter values, code maps, date formats, file paths)
only ever reach the database as bound parameters.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    model_serializer,
    model_validator,
)

__all__ = [
    "IDENTIFIER",
    "AuditSettings",
    "Authority",
    "CastType",
    "ColumnSpec",
    "FilterValue",
    "KeySpec",
    "PostgresSettings",
    "RelationRef",
    "RelationSpec",
    "SourceConfig",
    "SourceSpec",
    "SparkSettings",
    "SubjectKeys",
    "Transform",
]

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
"""An SQL identifier formmerge accepts: ASCII letters, digits and underscores, up to 63 long."""
_CATALOG_ID = re.compile(r"[a-z][a-z0-9_]{0,62}")
_FILE_PREFIXES = ("parquet:", "csv:")
MAX_RELATION_PARTS = 3
"""A relation name may be qualified as ``schema.table`` or ``catalog.schema.table``."""

Authority = Literal["verified", "self-declared"]
"""``verified``: an authoritative register (values are read-only); ``self-declared``: data the
person or enterprise once declared (values are suggestions the applicant may change)."""

CastType = Literal["string", "integer", "number", "boolean", "date", "datetime"]
FilterValue = str | int | float | bool | None


def _identifier(value: str) -> str:
    if not IDENTIFIER.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a plain identifier (letters, digits and _, not starting with a "
            "digit, at most 63 characters)"
        )
    return value


def _catalog_id(value: str) -> str:
    if not _CATALOG_ID.fullmatch(value):
        raise ValueError(f"{value!r} is not a catalog id (lower-case letters, digits and _)")
    return value


Identifier = Annotated[str, AfterValidator(_identifier)]
CatalogId = Annotated[str, AfterValidator(_catalog_id)]


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, omitting defaults (round-trips through :meth:`model_validate`)."""
        return self.model_dump(mode="json", exclude_defaults=True, by_alias=True)


class RelationRef(_Config):
    """Where rows come from: a table or view, a registered DataFrame, or a Parquet/CSV file.

    Written in YAML as one string: ``population``, ``registers.main.population``,
    ``parquet:data/population.parquet`` or ``csv:exports/fund.csv`` (paths relative to the
    configuration file).
    """

    name: tuple[str, ...] = ()
    """The qualified name of a table, view or registered relation, one part per element."""
    file: str | None = None
    """The path of a Parquet or CSV file."""
    format: Literal["table", "parquet", "csv"] = "table"

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if not isinstance(data, str):
            return data
        for prefix in _FILE_PREFIXES:
            if data.startswith(prefix):
                path = data[len(prefix) :].strip()
                if not path:
                    raise ValueError(f"{prefix} needs a file path")
                return {"file": path, "format": prefix[:-1]}
        parts = data.split(".")
        if len(parts) > MAX_RELATION_PARTS:
            raise ValueError(f"{data!r}: at most {MAX_RELATION_PARTS} dotted parts")
        for part in parts:
            _identifier(part)
        return {"name": tuple(parts)}

    def __str__(self) -> str:
        return f"{self.format}:{self.file}" if self.file else ".".join(self.name)

    @model_serializer(mode="plain")
    def _to_yaml(self) -> str:
        return str(self)

    def resolved(self, base: Path | None) -> RelationRef:
        """The same relation with a relative file path made absolute against ``base``."""
        if self.file is None or base is None or Path(self.file).is_absolute():
            return self
        return self.model_copy(update={"file": str((base / self.file).resolve())})


class Transform(_Config):
    """One step converting a register's value to the catalog's canonical form.

    YAML forms: ``strip``, ``upper``, ``lower``, ``digits`` (keep digits only),
    ``{date: "%Y%m%d"}`` and ``{datetime: "%Y%m%d%H%M%S"}`` (parse text with a strptime format),
    ``{map: {男: "1", 女: "2"}}`` (replace codes; a value not in the map becomes missing) and
    ``{cast: integer}`` (string, integer, number, boolean, date, datetime).
    """

    op: Literal["strip", "upper", "lower", "digits", "date", "datetime", "map", "cast"]
    format: str | None = None
    mapping: dict[str, str | int | float | bool] | None = None
    to: CastType | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"op": data}
        if isinstance(data, dict) and len(data) == 1 and "op" not in data:
            ((op, argument),) = data.items()
            key = {"date": "format", "datetime": "format", "map": "mapping", "cast": "to"}
            if op not in key:
                raise ValueError(f"unknown transform {op!r}")
            if op == "map" and isinstance(argument, dict):
                argument = {str(k): v for k, v in argument.items()}
            return {"op": op, key[op]: argument}
        return data

    @model_validator(mode="after")
    def _arguments(self) -> Transform:
        needs = {"date": "format", "datetime": "format", "map": "mapping", "cast": "to"}
        wanted = needs.get(self.op)
        given = {k for k in ("format", "mapping", "to") if getattr(self, k) is not None}
        if wanted is None and given:
            raise ValueError(f"transform {self.op!r} takes no argument")
        if wanted is not None and given != {wanted}:
            raise ValueError(f"transform {self.op!r} needs exactly its {wanted}")
        if self.op == "map" and not self.mapping:
            raise ValueError("a map transform needs at least one entry")
        return self

    @model_serializer(mode="plain")
    def _to_yaml(self) -> str | dict[str, Any]:
        """The YAML form: the operation's name, or a one-key mapping with its argument."""
        argument = self.format or self.mapping or self.to
        return self.op if argument is None else {self.op: argument}


class ColumnSpec(_Config):
    """A column of a relation and the transforms that make its values canonical.

    YAML: a plain column name, or ``{column: xb, transform: [strip, {map: {男: "1"}}]}``.
    """

    column: Identifier
    transform: tuple[Transform, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"column": data}
        if isinstance(data, dict) and not isinstance(data.get("transform", []), list | tuple):
            return {**data, "transform": [data["transform"]]}
        return data


class KeySpec(_Config):
    """A key column and the catalog item its values are (``citizen_id``, ``uscc`` ...)."""

    item: CatalogId
    column: Identifier


class SourceSpec(_Config):
    """One shared-data source: a relation keyed by a subject identifier."""

    id: Identifier
    """A unique name, used in precedence lists, provenance and the audit trail."""
    relation: RelationRef
    department: str = ""
    """The department that keeps the register (shown as the value's provenance)."""
    authority: Authority
    key: KeySpec
    """The column that identifies the subject of a row, and which item it holds."""
    columns: dict[CatalogId, ColumnSpec] = Field(min_length=1)
    """Catalog item id to the column (and transforms) holding it."""
    as_of: ColumnSpec | None = None
    """A column dating each row (shown as the value's as-of date)."""
    latest: ColumnSpec | None = None
    """Where several rows share a key, the row with the greatest value here wins (default:
    ``as_of``)."""
    unique_key: bool = False
    """Declare that no two rows share a key, which skips de-duplication in batch prefill."""
    filter: dict[Identifier, FilterValue] = Field(default_factory=dict)
    """Only rows whose columns equal these values (``null`` means the column is empty)."""
    roles: tuple[CatalogId, ...] | None = None
    """Serve only these roles (default: every role whose key is of the key's item)."""
    description: str = ""

    @property
    def order_by(self) -> ColumnSpec | None:
        """The column ranking rows that share a key."""
        return self.latest or self.as_of


class RelationSpec(_Config):
    """How to find the key of a related person (or enterprise) from another role's key.

    Several entries may name the same role: they are tried in order and the first that finds a
    row wins (for a spouse: the husband column, then the wife column of the marriage register).
    """

    role: CatalogId
    """The role found (``spouse``, ``child``, ``father``, ``legal_representative`` ...)."""
    from_role: CatalogId = Field("applicant", alias="from")
    """The role whose key is looked up."""
    relation: RelationRef
    key: KeySpec
    """The column compared with the ``from`` role's key, and the item that key is."""
    yields: dict[CatalogId, Identifier] = Field(min_length=1)
    """Item id to the column holding the found role's key of that item."""
    filter: dict[Identifier, FilterValue] = Field(default_factory=dict)
    latest: Identifier | None = None
    """Where several rows match, the one with the greatest value here wins."""
    description: str = ""

    @model_validator(mode="after")
    def _not_self(self) -> RelationSpec:
        if self.role == self.from_role:
            raise ValueError(f"a relation cannot find role {self.role!r} from itself")
        return self


class SubjectKeys(_Config):
    """Which item identifies a person and an organization when a subject is given as a string."""

    person: CatalogId = "citizen_id"
    organization: CatalogId = "uscc"


class AuditSettings(_Config):
    """Audit trail settings."""

    salt_env: Identifier = "FORMMERGE_AUDIT_SALT"
    """The environment variable holding the salt of subject hashes."""


class PostgresSettings(_Config):
    """Where the DSN of a PostgreSQL registers database is kept: an environment variable or a
    secrets file, never the configuration itself (it would carry the password).

    YAML: ``postgres: {dsn_env: FORMMERGE_REGISTERS_DSN}`` or
    ``postgres: {dsn_file: /run/secrets/registers.dsn}`` (relative to the configuration file).
    """

    dsn_env: Identifier | None = None
    """The environment variable holding the DSN (``postgresql://user:password@host/db``)."""
    dsn_file: str | None = None
    """A file whose content (stripped) is the DSN."""

    @model_validator(mode="after")
    def _one_place(self) -> PostgresSettings:
        if (self.dsn_env is None) == (self.dsn_file is None):
            raise ValueError("give exactly one of dsn_env and dsn_file")
        return self


class SparkSettings(_Config):
    """Where batch prefill and verification run on Spark (:mod:`formmerge.prefill.spark_batch`).

    YAML: ``spark: {master: "spark://host:7077", registers: registers-parquet/, conf: {...}}``.
    """

    master: str | None = None
    """The cluster's master URL (``local[4]``, ``spark://host:7077``, ``yarn`` ...); when
    omitted, the session Spark is configured to make (``spark-submit`` sets it)."""
    app_name: str = "formmerge"
    conf: dict[str, str] = Field(default_factory=dict)
    """Spark settings for the session (``spark.executor.memory`` ...)."""
    registers: str | None = None
    """A folder of Parquet files, ``<relation>.parquet`` for each relation named in the
    configuration (relative to this file); relations not found there are read from the
    session's catalog (tables of a metastore)."""


class SourceConfig(_Config):
    """A whole source configuration."""

    version: Literal[1] = 1
    database: str | None = None
    """A DuckDB file holding the relations, attached read-only (relative to this file). When
    omitted, prefill needs a ``connection``; it never falls back to the demo registers."""
    postgres: PostgresSettings | None = None
    """A PostgreSQL database holding the relations (instead of ``database``); see
    :class:`PostgresSettings`."""
    subject_keys: SubjectKeys = SubjectKeys()
    sources: tuple[SourceSpec, ...] = Field(min_length=1)
    relations: tuple[RelationSpec, ...] = ()
    precedence: dict[CatalogId, tuple[Identifier, ...]] = Field(default_factory=dict)
    """Item id to source ids, most trusted first, to settle disagreements. Sources not listed
    follow: verified before self-declared, then in file order."""
    audit: AuditSettings = AuditSettings()
    spark: SparkSettings | None = None
    """Settings of batch runs on Spark (see :class:`SparkSettings`)."""
    source_file: str | None = Field(default=None, exclude=True)
    """The file the configuration was read from (not part of the configuration)."""

    def source(self, source_id: str) -> SourceSpec:
        """The source with this id. Raises KeyError if there is none."""
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

    def database_path(self) -> Path | None:
        """The configured database file, made absolute against the configuration's folder."""
        if self.database is None:
            return None
        path = Path(self.database).expanduser()
        if not path.is_absolute() and self.source_file is not None:
            path = Path(self.source_file).parent / path
        return path

    @model_validator(mode="after")
    def _one_database(self) -> SourceConfig:
        if self.database is not None and self.postgres is not None:
            raise ValueError("give either database (a DuckDB file) or postgres, not both")
        return self

    def postgres_dsn(self) -> str:
        """The DSN of the configured PostgreSQL database, read from its environment variable or
        secrets file.

        Raises:
            SourceError: ``missing-database-dsn`` when the variable is unset or the file is
                missing or empty (the message never shows the DSN).
        """
        from formmerge.errors import Location, Problem, SourceError  # deferred: no cycle

        settings = self.postgres
        if settings is None:
            raise ValueError("the configuration names no PostgreSQL database")
        if settings.dsn_env is not None:
            dsn = os.environ.get(settings.dsn_env, "").strip()
            where = f"the environment variable {settings.dsn_env}"
            place = Location(file=self.source_file, field="postgres.dsn_env")
        else:
            path = Path(settings.dsn_file or "").expanduser()
            if not path.is_absolute() and self.source_file is not None:
                path = Path(self.source_file).parent / path
            try:
                dsn = path.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                dsn = ""
            where = f"the secrets file {path}"
            place = Location(file=str(path), field="postgres.dsn_file")
        if not dsn:
            message = f"{where} holds no PostgreSQL DSN (it is unset, missing or empty)"
            problem = Problem("missing-database-dsn", message, place)
            raise SourceError("the PostgreSQL registers cannot be found", [problem])
        return dsn

    def spark_registers_path(self) -> Path | None:
        """The Spark registers folder, made absolute against the configuration's folder."""
        if self.spark is None or self.spark.registers is None:
            return None
        path = Path(self.spark.registers).expanduser()
        if not path.is_absolute() and self.source_file is not None:
            path = Path(self.source_file).parent / path
        return path

    def ranked_sources(self, item: str) -> list[SourceSpec]:
        """The sources holding ``item``, most trusted first (see :attr:`precedence`)."""
        holding = [s for s in self.sources if item in s.columns]
        listed = [s for sid in self.precedence.get(item, ()) for s in holding if s.id == sid]
        rest = [s for s in holding if s not in listed]
        rest.sort(key=lambda s: s.authority != "verified")  # stable: file order otherwise
        return listed + rest
