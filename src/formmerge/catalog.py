"""Load, validate and query the shared-data catalog (``field_catalog/``).

The catalog is a directory of YAML files::

    field_catalog/
        roles.yaml              roles: [Role, ...]
        items/<domain>.yaml     domain, label_zh, label_en, items: [CatalogItem without domain, ...]
        code_lists/<id>.yaml    one CodeList
        materials.yaml          materials: [MaterialType, ...]
        role_nouns.yaml         nouns: [RoleNoun, ...] (people and bodies without a standard role)

Files may end in ``.yml`` as well as ``.yaml``. Every file is read by
:mod:`formmerge.documents` (YAML 1.2 core scalars; a key written twice is a problem).

:func:`load_catalog` reads them all, validates every entry with the models of
:mod:`formmerge.models`, runs the whole-catalog checks (unique ids and aliases, known code
lists, validators, roles and evidences) and raises one :class:`~formmerge.errors.CatalogError`
that carries every problem found, each with its file and line.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError
from rapidfuzz import fuzz, process
from yaml.nodes import Node

from formmerge.documents import node_at, read_document
from formmerge.errors import CatalogError, Location, Problem
from formmerge.models import (
    Catalog,
    CatalogItem,
    Code,
    CodeList,
    Derivation,
    MaterialType,
    MergedForm,
    Role,
    RoleNoun,
)
from formmerge.resources import data_path
from formmerge.validators import VALIDATORS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CODE_LISTS_DIR",
    "DEFAULT_SEARCH_LIMIT",
    "DEFAULT_SEARCH_SCORE_CUTOFF",
    "DERIVATIONS_FILE",
    "FRAME_COLUMNS",
    "ITEMS_DIR",
    "MATERIALS_FILE",
    "ROLES_FILE",
    "ROLE_NOUNS_FILE",
    "CatalogHit",
    "alias_key",
    "catalog_for",
    "catalog_frame",
    "code_for",
    "load_catalog",
    "search_catalog",
    "search_catalog_hits",
]

ROLES_FILE = "roles.yaml"
ROLE_NOUNS_FILE = "role_nouns.yaml"
DERIVATIONS_FILE = "derivations.yaml"
"""Items that follow from another item of the same person (see :mod:`formmerge.derivations`)."""
ITEMS_DIR = "items"
CODE_LISTS_DIR = "code_lists"
MATERIALS_FILE = "materials.yaml"

DEFAULT_SEARCH_LIMIT = 10
"""How many items :func:`search_catalog` returns at most."""
DEFAULT_SEARCH_SCORE_CUTOFF = 70.0
"""Lowest rapidfuzz WRatio score (0-100) of a name for its item to be a search hit."""

_SUFFIXES = (".yaml", ".yml")
"""Extensions of the catalog's YAML files; both are read."""

_STRIPPED_CATEGORIES = ("P", "Z", "C")  # punctuation (incl. "_"), separators, control chars

_M = TypeVar("_M", bound=BaseModel)


def alias_key(text: str) -> str:
    """The form in which names are compared: NFKC, casefolded, without spaces or punctuation.

    ``"Zip / Postal Code"``, ``"zip_postal_code"`` and ``"ZIP-Postal code"`` all give
    ``"zippostalcode"``; full-width ``"ＩＤ　Ｎｏ．"`` gives ``"idno"``.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(
        ch for ch in folded if not unicodedata.category(ch).startswith(_STRIPPED_CATEGORIES)
    )
    # Removing a space can join a letter to a combining mark: compose them again.
    return unicodedata.normalize("NFKC", kept)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Origin:
    """Where a catalog entry was read from: its file, and its YAML node (for lines)."""

    file: str
    node: Node | None

    def location(self, path: Sequence[str | int] = ()) -> Location:
        node = node_at(self.node, path)
        line = node.start_mark.line + 1 if node is not None else None
        return Location(file=self.file, line=line)


class _Reader:
    """Reads the catalog's YAML files, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def problem(self, code: str, message: str, location: Location) -> None:
        self.problems.append(Problem(code, message, location))

    def name(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def document(self, path: Path) -> tuple[Any, Node | None] | None:
        """The parsed document and its node tree, or None (and a problem) if unreadable.

        Keys written twice are reported here, with the other problems of the catalog.
        """
        try:
            document = read_document(path, file=self.name(path), error=CatalogError)
        except CatalogError as exc:
            self.problems.extend(exc.problems)
            return None
        self.problems.extend(document.problems)
        return document.data, document.root

    def listing(self, path: Path, key: str) -> list[tuple[Any, _Origin]]:
        """The entries of the list under top-level ``key`` of a file, with their origins."""
        document = self.document(path)
        if document is None:
            return []
        data, node = document
        file = self.name(path)
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            self.problem(
                "bad-file-structure",
                f"expected a mapping with a list under {key!r}",
                Location(file=file, line=1),
            )
            return []
        for extra in sorted(set(data) - {key}, key=str):
            self.problem(
                "unknown-attribute",
                f"unknown top-level key {extra!r}; the file holds only {key!r}",
                _Origin(file, node).location([extra]),
            )
        seq = node_at(node, [key])
        return [(entry, _Origin(file, node_at(seq, [i]))) for i, entry in enumerate(data[key])]

    def validate(
        self, model: type[_M], entry: Any, origin: _Origin, extra: dict[str, Any] | None = None
    ) -> _M | None:
        """``entry`` validated as ``model`` (``extra`` merged in), or None and problems."""
        kind = model.__name__
        if not isinstance(entry, dict):
            self.problem("invalid-entry", f"a {kind} must be a mapping", origin.location())
            return None
        try:
            return model.model_validate({**entry, **(extra or {})})
        except ValidationError as exc:
            label = entry.get("id", "?")
            for error in exc.errors():
                loc = [p for p in error["loc"] if isinstance(p, str | int)]
                where = ".".join(str(p) for p in loc) or kind
                message = f"{kind} {label!r}: {where}: {error['msg']}"
                self.problem("invalid-entry", message, origin.location(loc))
            return None


# --------------------------------------------------------------------------- loading


@dataclass
class _Parts:
    items: list[tuple[CatalogItem, _Origin]]
    roles: list[tuple[Role, _Origin]]
    code_lists: list[tuple[CodeList, _Origin]]
    materials: list[tuple[MaterialType, _Origin]]
    role_nouns: list[tuple[RoleNoun, _Origin]]
    derivations: list[tuple[Derivation, _Origin]]


def catalog_for(merged: MergedForm, catalog: Catalog | None = None) -> Catalog:
    """The catalog to use with a merged form: ``catalog``, or the packaged one, checked to be the
    catalog the form was merged with (:attr:`MergedForm.catalog`).

    Raises:
        CatalogError: ``catalog-mismatch`` when the merged form records another catalog (a form
            merged with a custom catalog, split or prefilled with the packaged one, would read its
            codes and roles wrongly).
    """
    chosen = catalog or load_catalog()
    if merged.catalog and merged.catalog != chosen.fingerprint:
        given = "the catalog given" if catalog is not None else "the packaged catalog"
        message = (
            f"{merged.id!r} was merged with catalog {merged.catalog}, but {given} is "
            f"{chosen.fingerprint}: pass the catalog it was merged with (catalog=...)"
        )
        raise CatalogError(
            message, [Problem("catalog-mismatch", message, Location(form=merged.id))]
        )
    return chosen


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load and validate a catalog directory.

    Args:
        path: the catalog directory; the catalog shipped with formmerge if None (that one
            is loaded once and cached).

    Returns:
        The validated catalog.

    Raises:
        CatalogError: the directory is missing or the catalog is invalid; ``problems``
            lists every problem found, each with its file and line.
    """
    if path is None:
        return _load_cached(data_path("field_catalog").resolve())
    return _load(Path(path))


@functools.lru_cache(maxsize=4)
def _load_cached(root: Path) -> Catalog:
    return _load(root)


def _load(root: Path) -> Catalog:
    if not root.is_dir():
        raise CatalogError(
            f"catalog directory {str(root)!r} does not exist",
            [Problem("file-not-found", "not a directory", Location(file=str(root)))],
        )
    reader = _Reader(root)
    parts = _Parts(
        items=_read_items(reader),
        roles=_read_list(reader, Role, ROLES_FILE, "roles", required=True),
        code_lists=_read_code_lists(reader),
        materials=_read_list(reader, MaterialType, MATERIALS_FILE, "materials", required=False),
        role_nouns=_read_list(reader, RoleNoun, ROLE_NOUNS_FILE, "nouns", required=False),
        derivations=_read_list(reader, Derivation, DERIVATIONS_FILE, "derivations", required=False),
    )
    problems = reader.problems + list(_check(parts))
    if problems:
        raise CatalogError(f"the catalog in {str(root)!r} is invalid", problems)
    return Catalog(
        items=tuple(x for x, _ in parts.items),
        roles=tuple(x for x, _ in parts.roles),
        code_lists=tuple(x for x, _ in parts.code_lists),
        materials=tuple(x for x, _ in parts.materials),
        role_nouns=tuple(x for x, _ in parts.role_nouns),
        derivations=tuple(x for x, _ in parts.derivations),
    )


def _read_list(
    reader: _Reader, model: type[_M], filename: str, key: str, *, required: bool
) -> list[tuple[_M, _Origin]]:
    path = _document_file(reader.root, filename)
    if path is None:
        if required:
            message = f"the catalog needs {filename}"
            reader.problem("file-not-found", message, Location(file=filename))
        return []
    validated = ((reader.validate(model, e, o), o) for e, o in reader.listing(path, key))
    return [(x, o) for x, o in validated if x is not None]


def _read_items(reader: _Reader) -> list[tuple[CatalogItem, _Origin]]:
    files = _document_files(reader.root / ITEMS_DIR)
    if not files:
        message = f"the catalog needs at least one {ITEMS_DIR}/<domain>.yaml file"
        reader.problem("file-not-found", message, Location(file=ITEMS_DIR))
    result: list[tuple[CatalogItem, _Origin]] = []
    for path in files:
        document = reader.document(path)
        if document is None:
            continue
        data, node = document
        file = reader.name(path)
        head = _Origin(file, node)
        header_keys = {"domain", "label_zh", "label_en"}
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            message = "expected a mapping with domain, label_zh, label_en and a list under 'items'"
            reader.problem("bad-file-structure", message, Location(file=file, line=1))
            continue
        for key in sorted(set(data) - header_keys - {"items"}, key=str):
            message = f"unknown top-level key {key!r}"
            reader.problem("unknown-attribute", message, head.location([key]))
        for key in sorted(header_keys - set(data)):
            message = f"the domain file needs {key!r}"
            reader.problem("missing-attribute", message, head.location())
        domain = data.get("domain")
        if domain != path.stem:
            message = f"domain {domain!r} must be the file's name {path.stem!r}"
            reader.problem("domain-mismatch", message, head.location(["domain"]))
        seq = node_at(node, ["items"])
        for i, entry in enumerate(data["items"]):
            origin = _Origin(file, node_at(seq, [i]))
            if isinstance(entry, dict) and entry.get("domain", path.stem) != path.stem:
                message = f"item {entry.get('id')!r} names domain {entry['domain']!r}; leave it out"
                reader.problem("domain-mismatch", message, origin.location(["domain"]))
                continue
            item = reader.validate(CatalogItem, entry, origin, {"domain": path.stem})
            if item is not None:
                result.append((item, origin))
    return result


def _read_code_lists(reader: _Reader) -> list[tuple[CodeList, _Origin]]:
    result: list[tuple[CodeList, _Origin]] = []
    for path in _document_files(reader.root / CODE_LISTS_DIR):
        document = reader.document(path)
        if document is None:
            continue
        data, node = document
        origin = _Origin(reader.name(path), node)
        code_list = reader.validate(CodeList, data, origin)
        if code_list is None:
            continue
        if code_list.id != path.stem:
            message = f"code list id {code_list.id!r} must be the file's name {path.stem!r}"
            reader.problem("code-list-id-mismatch", message, origin.location(["id"]))
        result.append((code_list, origin))
    return result


def _document_files(directory: Path) -> list[Path]:
    """The ``.yaml`` and ``.yml`` files of a catalog folder, by name."""
    return sorted(p for suffix in _SUFFIXES for p in directory.glob("*" + suffix) if p.is_file())


def _document_file(root: Path, filename: str) -> Path | None:
    """``filename`` in ``root``, or the same name ending in ``.yml``; None if neither exists."""
    stem = filename.removesuffix(".yaml")
    return next((p for s in _SUFFIXES if (p := root / (stem + s)).is_file()), None)


# --------------------------------------------------------------------------- checks


def _check(parts: _Parts) -> Iterator[Problem]:
    yield from _duplicate_ids("item", parts.items)
    yield from _duplicate_ids("role", parts.roles)
    yield from _duplicate_ids("code list", parts.code_lists)
    yield from _duplicate_ids("material", parts.materials)
    yield from _check_item_names(parts.items)
    yield from _check_item_references(parts)
    yield from _check_derivations(parts)
    yield from _check_role_cues(parts)
    yield from _check_code_lists(parts.code_lists)
    yield from _check_materials(parts)


def _duplicate_ids(kind: str, entries: Iterable[tuple[Any, _Origin]]) -> Iterator[Problem]:
    first: dict[str, Location] = {}
    for entry, origin in entries:
        here = origin.location(["id"])
        if entry.id in first:
            message = f"{kind} id {entry.id!r} is defined twice: at {first[entry.id]} and here"
            yield Problem("duplicate-id", message, here)
        else:
            first[entry.id] = here


@dataclass(frozen=True)
class _Claim:
    item: str
    kind: str  # "label", "alias" or "shared"
    location: Location


def _claims(item: CatalogItem, origin: _Origin) -> Iterator[tuple[str, str, _Claim]]:
    for field in ("label_zh", "label_en"):
        text = getattr(item, field)
        yield text, alias_key(text), _Claim(item.id, "label", origin.location([field]))
    for field, kind in (("aliases", "alias"), ("shared_aliases", "shared")):
        for i, text in enumerate(getattr(item, field)):
            yield text, alias_key(text), _Claim(item.id, kind, origin.location([field, i]))


def _check_item_names(items: list[tuple[CatalogItem, _Origin]]) -> Iterator[Problem]:
    """Every label and alias names one item, unless all items claiming it mark it shared."""
    by_key: dict[str, list[_Claim]] = defaultdict(list)
    for item, origin in items:
        for text, key, claim in _claims(item, origin):
            if not key:
                yield Problem("empty-alias", f"{text!r} is empty once normalised", claim.location)
            else:
                by_key[key].append(claim)
    for key, claims in by_key.items():
        owners = sorted({c.item for c in claims})
        shared_by = {c.item for c in claims if c.kind == "shared"}
        if len(owners) == 1:
            lonely = [c for c in claims if c.kind == "shared"]
            if lonely:
                message = f"shared alias {key!r} of {owners[0]!r} is claimed by no other item"
                yield Problem("lonely-shared-alias", message, lonely[0].location)
            continue
        culprits = [c for c in claims if c.item not in shared_by]
        if not culprits:
            continue
        names = ", ".join(f"{c.item} ({c.kind})" for c in claims)
        message = (
            f"{key!r} names several items: {names}; keep it in one item, or list it under "
            "shared_aliases of every item it can mean"
        )
        labels = [c for c in culprits if c.kind == "label"]
        code = "alias-equals-label" if labels and len(labels) < len(claims) else "alias-collision"
        blame = next((c for c in culprits if c.kind != "label"), culprits[-1])
        yield Problem(code, message, blame.location)


def _check_item_references(parts: _Parts) -> Iterator[Problem]:
    code_lists = {c.id for c, _ in parts.code_lists}
    roles = {r.id for r, _ in parts.roles}
    for item, origin in parts.items:
        where = f"item {item.id!r}"
        if item.type == "enum" and item.code_list is None:
            message = f"{where} is an enum; name its code_list"
            yield Problem("enum-without-code-list", message, origin.location(["type"]))
        if item.code_list is not None and item.type != "enum":
            message = f"{where} has a code_list, so its type must be enum, not {item.type!r}"
            yield Problem("code-list-needs-enum", message, origin.location(["type"]))
        if item.code_list is not None and item.code_list not in code_lists:
            message = f"{where} names unknown code list {item.code_list!r}"
            yield Problem("unknown-code-list", message, origin.location(["code_list"]))
        if item.named_codes is not None and item.named_codes not in code_lists:
            message = f"{where} names unknown code list {item.named_codes!r}"
            yield Problem("unknown-code-list", message, origin.location(["named_codes"]))
        if item.format is not None and item.format not in VALIDATORS:
            known = ", ".join(sorted(VALIDATORS))
            message = f"{where} names unknown format {item.format!r}; known: {known}"
            yield Problem("unknown-format", message, origin.location(["format"]))
        if not item.roles:
            message = f"{where} needs at least one role (the first is the default)"
            yield Problem("no-roles", message, origin.location(["roles"]))
        for i, role in enumerate(item.roles):
            if role not in roles:
                message = f"{where} names unknown role {role!r}"
                yield Problem("unknown-role", message, origin.location(["roles", i]))


def _check_derivations(parts: _Parts) -> Iterator[Problem]:
    items = {item.id: item for item, _ in parts.items}
    for derivation, origin in parts.derivations:
        named = [("item", derivation.item), ("from", derivation.source)]
        if derivation.when is not None:
            named.append(("when", derivation.when.item))
        for key, item_id in named:
            if item_id not in items:
                message = f"derivation of {derivation.item!r} names unknown item {item_id!r}"
                yield Problem("unknown-item", message, origin.location([key]))
        if derivation.item in items and derivation.source in items:
            shared = set(items[derivation.item].roles) & set(items[derivation.source].roles)
            if not shared:
                message = (
                    f"{derivation.item!r} and {derivation.source!r} share no role, so no "
                    "person has both; derive only within one person"
                )
                yield Problem("derivation-without-role", message, origin.location(["from"]))


def _check_role_cues(parts: _Parts) -> Iterator[Problem]:
    items = {i.id for i, _ in parts.items}
    for role, origin in parts.roles:
        for n, cue in enumerate(role.form_fields):
            for k, item in enumerate(cue):
                if item not in items:
                    message = f"role {role.id!r} names unknown item {item!r} in form_fields"
                    yield Problem("unknown-item", message, origin.location(["form_fields", n, k]))


def _check_code_lists(code_lists: list[tuple[CodeList, _Origin]]) -> Iterator[Problem]:
    for code_list, origin in code_lists:
        spellings: dict[str, str] = {}
        codes: set[str] = set()
        for i, code in enumerate(code_list.codes):
            if code.code in codes:
                message = f"code list {code_list.id!r} has code {code.code!r} twice"
                yield Problem("duplicate-code", message, origin.location(["codes", i]))
            codes.add(code.code)
            for text in _spellings(code):
                key = alias_key(text)
                if spellings.setdefault(key, code.code) != code.code:
                    message = (
                        f"code list {code_list.id!r}: {text!r} spells both "
                        f"{spellings[key]!r} and {code.code!r}"
                    )
                    yield Problem("code-spelling-collision", message, origin.location(["codes", i]))


def _check_materials(parts: _Parts) -> Iterator[Problem]:
    items = {i.id for i, _ in parts.items}
    names: dict[str, str] = {}
    for material, origin in parts.materials:
        for i, evidence in enumerate(material.evidences):
            if evidence not in items:
                message = f"material {material.id!r} evidences unknown item {evidence!r}"
                yield Problem("unknown-evidence", message, origin.location(["evidences", i]))
        for text in (material.name_zh, material.name_en, *material.aliases):
            key = alias_key(text)
            if names.setdefault(key, material.id) != material.id:
                message = f"{text!r} names materials {names[key]!r} and {material.id!r}"
                yield Problem("material-name-collision", message, origin.location())


# --------------------------------------------------------------------------- queries


def _spellings(code: Code) -> tuple[str, ...]:
    return tuple(t for t in (code.code, code.label_zh, code.label_en, *code.aliases) if t)


@functools.lru_cache(maxsize=64)
def _spelling_index(code_list: CodeList) -> dict[str, str]:
    index: dict[str, str] = {}
    for code in code_list.codes:
        for text in _spellings(code):
            index.setdefault(alias_key(text), code.code)
    return index


def code_for(catalog: Catalog, code_list_id: str, value: str | int) -> str | None:
    """The canonical code a value stands for in a code list, or None if it names none.

    Any spelling counts: the code itself, its Chinese or English label, or an alias, compared
    after :func:`alias_key`; a number without its leading zeros (``1`` for ethnicity ``"01"``)
    matches too.

    Raises:
        KeyError: the catalog has no code list ``code_list_id``.
    """
    code_list = catalog.code_list(code_list_id)
    key = alias_key(str(value))
    index = _spelling_index(code_list)
    if not key:
        return None
    if key in index:
        return index[key]
    if key.isdigit():
        for code in code_list.codes:
            text = code.code
            if text.isdigit() and len(text) > len(key) and text == key.zfill(len(text)):
                return text
    return None


@dataclass(frozen=True)
class CatalogHit:
    """One search result: the item, its best score (0-100) and the name that scored it."""

    item: CatalogItem
    score: float
    name: str


def search_catalog_hits(
    catalog: Catalog,
    text: str,
    *,
    limit: int = DEFAULT_SEARCH_LIMIT,
    score_cutoff: float = DEFAULT_SEARCH_SCORE_CUTOFF,
) -> list[CatalogHit]:
    """Items whose id, labels or aliases resemble ``text``, best first, with scores."""
    query = alias_key(text)
    if not query:
        return []
    names: list[str] = []
    owners: list[CatalogItem] = []
    for item in catalog.items:
        for name in (item.id, item.label_zh, item.label_en, *item.aliases, *item.shared_aliases):
            names.append(name)
            owners.append(item)
    keys = [alias_key(n) for n in names]
    matches = process.extract(
        query, keys, scorer=fuzz.WRatio, limit=None, score_cutoff=score_cutoff
    )
    best: dict[str, CatalogHit] = {}
    for _, score, index in matches:
        item = owners[index]
        if item.id not in best or score > best[item.id].score:
            best[item.id] = CatalogHit(item, float(score), names[index])
    order = {item.id: n for n, item in enumerate(catalog.items)}
    hits = sorted(best.values(), key=lambda h: (-h.score, order[h.item.id]))
    return hits[:limit]


def search_catalog(
    catalog: Catalog,
    text: str,
    *,
    limit: int = DEFAULT_SEARCH_LIMIT,
    score_cutoff: float = DEFAULT_SEARCH_SCORE_CUTOFF,
) -> list[CatalogItem]:
    """Items whose id, labels or aliases resemble ``text``, best first.

    Matching is fuzzy (rapidfuzz WRatio on :func:`alias_key` forms), so ``"身份证"``,
    ``"sfzhm"`` and ``"ID No."`` all find ``citizen_id``.
    """
    hits = search_catalog_hits(catalog, text, limit=limit, score_cutoff=score_cutoff)
    return [hit.item for hit in hits]


FRAME_COLUMNS: tuple[str, ...] = (
    "id",
    "domain",
    "label_zh",
    "label_en",
    "type",
    "format",
    "code_list",
    "roles",
    "department",
    "sensitivity",
    "n_aliases",
)


def catalog_frame(catalog: Catalog) -> pd.DataFrame:
    """One row per item, in catalog order; ``roles`` is comma-separated, default first."""
    import pandas as pd

    rows = [
        {
            "id": item.id,
            "domain": item.domain,
            "label_zh": item.label_zh,
            "label_en": item.label_en,
            "type": item.type,
            "format": item.format,
            "code_list": item.code_list,
            "roles": ",".join(item.roles),
            "department": item.department,
            "sensitivity": item.sensitivity,
            "n_aliases": len(item.aliases) + len(item.shared_aliases),
        }
        for item in catalog.items
    ]
    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
