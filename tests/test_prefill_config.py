"""Tests of the source configuration: shapes, identifiers, catalog checks, lines of problems."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from formmerge.errors import SourceError
from formmerge.prefill import load_sources
from formmerge.prefill.config import ColumnSpec, RelationRef, SourceConfig, Transform

BASE = """\
version: 1
sources:
  - id: people
    relation: population
    authority: verified
    key: {item: citizen_id, column: citizen_id}
    columns:
      name: name
      sex: {column: xb, transform: [strip, {map: {男: "1", 女: "2"}}]}
relations:
  - role: spouse
    relation: marriage
    key: {item: citizen_id, column: husband_citizen_id}
    yields: {citizen_id: wife_citizen_id}
"""


def _load(tmp_path: Path, text: str) -> SourceError:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_sources(path)
    return caught.value


def test_base_config_loads(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(BASE, encoding="utf-8")
    config = load_sources(path)
    assert config.source("people").columns["sex"].transform[1].mapping == {"男": "1", "女": "2"}
    assert config.source_file == str(path)


def test_demo_config_round_trips() -> None:
    config = load_sources()
    again = SourceConfig.model_validate(yaml.safe_load(yaml.safe_dump(config.to_dict())))
    assert again == config.model_copy(update={"source_file": None})
    assert len({s.id for s in config.sources}) == len(config.sources)


_SEX = '      sex: {column: xb, transform: [strip, {map: {男: "1", 女: "2"}}]}'
_KEY = "    key: {item: citizen_id, column: citizen_id}"
_YIELDS = "    yields: {citizen_id: wife_citizen_id}"


@pytest.mark.parametrize(
    ("old", "new", "code", "line"),
    [
        ("      name: name", "      nmae: name", "unknown-item", 8),
        ("    relation: population", "    relation: population; DROP TABLE population",
         "bad-identifier", 4),
        ("      name: name", '      name: "name\\" --"', "bad-identifier", 8),
        (_KEY, _KEY.replace("column: citizen_id", "column: 1x"), "bad-identifier", 6),
        ("  - role: spouse", "  - role: husband", "unknown-role", 11),
        ("    authority: verified", "    authority: maybe", "invalid-source-config", 5),
        (_YIELDS, "    yields: {}", "invalid-source-config", 14),
        (_SEX, "      sex: {column: xb, transform: [{shell: rm}]}", "invalid-source-config", 9),
        ("version: 1", "version: 1\nsurprise: 1", "invalid-source-config", 2),
        # A second columns: used to replace the first without a word.
        (_SEX, _SEX + "\n    columns: {name: xm}", "duplicate-mapping-key", 10),
        ("version: 1", "version: 1\nversion: 2", "duplicate-mapping-key", 2),
        ("version: 1", "version: 1\nas_of: 2026-02-30", "invalid-source-config", 2),
        ("version: 1", "version: \x07", "control-character", 1),
    ],
)  # fmt: skip
def test_problems_name_code_and_line(
    tmp_path: Path, old: str, new: str, code: str, line: int
) -> None:
    assert old in BASE
    error = _load(tmp_path, BASE.replace(old, new))
    assert code in error.codes, error
    problem = next(p for p in error.problems if p.code == code)
    assert problem.location.file == str(tmp_path / "sources.yaml")
    assert problem.location.line == line


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = BASE.replace(
        "      name: name", "      name: name\n      nmae: name\n      colour: paint"
    )
    text += "precedence:\n  name: [people, nowhere]\n"
    text = text.replace("  - role: spouse", "  - role: husband")
    error = _load(tmp_path, text)
    assert sorted(error.codes) == ["unknown-item", "unknown-item", "unknown-role", "unknown-source"]
    assert "nmae" in str(error) and "colour" in str(error)


def test_duplicate_sources_and_cycles(tmp_path: Path) -> None:
    doubled = BASE.replace(
        "relations:", BASE.split("sources:\n")[1].split("relations:")[0] + "relations:"
    )
    assert "duplicate-source" in _load(tmp_path, doubled).codes
    cycle = (
        BASE
        + """\
  - role: child
    from: father
    relation: birth_certificate
    key: {item: citizen_id, column: father_citizen_id}
    yields: {citizen_id: child_citizen_id}
  - role: father
    from: child
    relation: birth_certificate
    key: {item: citizen_id, column: child_citizen_id}
    yields: {citizen_id: father_citizen_id}
"""
    )
    assert "relation-cycle" in _load(tmp_path, cycle).codes


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    error = _load(tmp_path, BASE + "  - role: [unclosed\n")
    assert error.codes == ["syntax-error"]
    assert error.problems[0].location.line is not None


def test_file_items_cannot_be_prefilled(tmp_path: Path) -> None:
    error = _load(tmp_path, BASE.replace("      name: name", "      photo: photo"))
    assert error.codes == ["unsupported-item"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("strip", Transform(op="strip")),
        ({"date": "%Y%m%d"}, Transform(op="date", format="%Y%m%d")),
        ({"cast": "integer"}, Transform(op="cast", to="integer")),
        ({"map": {1: "a", "男": True}}, Transform(op="map", mapping={"1": "a", "男": True})),
    ],
)
def test_transform_forms(text: object, expected: Transform) -> None:
    assert Transform.model_validate(text) == expected
    assert Transform.model_validate(expected.model_dump()) == expected


@pytest.mark.parametrize(
    "text",
    ["strips", {"date": None}, {"map": {}}, {"cast": "money"}, {"strip": "x"}, {"a": 1, "b": 2}],
)
def test_bad_transforms(text: object) -> None:
    with pytest.raises(ValueError):
        Transform.model_validate(text)


@pytest.mark.parametrize(
    ("text", "name", "file"),
    [
        ("population", ("population",), None),
        ("registers.main.population", ("registers", "main", "population"), None),
        ("parquet:data/p.parquet", (), "data/p.parquet"),
        ("csv: exports/fund.csv", (), "exports/fund.csv"),
    ],
)
def test_relation_references(text: str, name: tuple[str, ...], file: str | None) -> None:
    ref = RelationRef.model_validate(text)
    assert (ref.name, ref.file) == (name, file)
    assert RelationRef.model_validate(str(ref)) == ref


@pytest.mark.parametrize(
    "text", ["a.b.c.d", "pop ulation", 'x"y', "x;y", "parquet:", "1table", "t--"]
)
def test_bad_relation_references(text: str) -> None:
    with pytest.raises(ValueError):
        RelationRef.model_validate(text)


def test_column_spec_accepts_single_transform() -> None:
    spec = ColumnSpec.model_validate({"column": "khrq", "transform": {"date": "%Y%m%d"}})
    assert spec.transform == (Transform(op="date", format="%Y%m%d"),)


@pytest.mark.parametrize(
    "postgres",
    [
        "database: postgresql://reader:s3cret@db/registers",
        "postgres: postgres://reader:s3cret@db/registers",
        "postgres: {dsn: 'postgresql://reader:s3cret@db/registers'}",
        "postgres: {dsn_env: REGISTERS_DSN, password: s3cret}",
    ],
)
def test_an_inline_database_secret_is_refused_where_written(tmp_path: Path, postgres: str) -> None:
    error = _load(tmp_path, BASE.replace("version: 1\n", f"version: 1\n{postgres}\n"))
    assert [(p.code, p.location.line) for p in error.problems] == [("inline-database-secret", 2)]
    assert "s3cret" not in str(error)


@pytest.mark.parametrize(
    ("postgres", "fragment"),
    [
        ("postgres: {dsn_env: A, dsn_file: b}", "exactly one"),
        ("postgres: {}", "exactly one"),
        ("database: r.duckdb\npostgres: {dsn_env: A}", "not both"),
    ],
)
def test_postgres_settings_shapes(tmp_path: Path, postgres: str, fragment: str) -> None:
    error = _load(tmp_path, BASE.replace("version: 1\n", f"version: 1\n{postgres}\n"))
    assert error.codes == ["invalid-source-config"]
    assert fragment in str(error)


def test_the_dsn_is_read_from_its_file_relative_to_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "registers.dsn").write_text("postgresql://reader@db/registers\n", "utf-8")
    path = tmp_path / "sources.yaml"
    path.write_text(
        BASE.replace("version: 1\n", "version: 1\npostgres: {dsn_file: registers.dsn}\n")
    )
    assert load_sources(path).postgres_dsn() == "postgresql://reader@db/registers"
    (tmp_path / "registers.dsn").write_text("  \n", "utf-8")
    with pytest.raises(SourceError) as caught:
        load_sources(path).postgres_dsn()
    assert caught.value.codes == ["missing-database-dsn"]
