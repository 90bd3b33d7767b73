"""A catalog that learns: new aliases and role words proposed from analysts' confirmed decisions.

An analyst who confirms "产妇姓名 is name@mother" or "户籍所在地 is hukou_address" has taught
formmerge a name the catalog lacks. :func:`learn_catalog` reads confirmed decisions from many
decisions files (many bundles, many bureaus) and proposes, with counts:

- **aliases**: the label without its role words (``父亲户籍所在地`` -> ``户籍所在地``) for the
  confirmed item, when no catalog item has that name yet;
- **role words**: a Chinese prefix before one of the item's names that the role detector did not
  read as the confirmed role (``产妇`` in ``产妇姓名`` confirmed as name@mother);
- **equivalences**: uncatalogued fields that ``same:`` groups declare alike, by label, with
  how many groups say so. A new item needs a name, so an equivalence is applied only once the
  reviewer gives it one in the patch (``item: school_name``, optionally ``label_en`` and
  ``type``): it becomes an item of the ``learned`` domain (``items/learned.yaml``) whose
  Chinese label is the first label and whose aliases are the others. Equivalences without an
  ``item`` are left out.

A proposal whose name some other item already has, or that another decision rejected for the
same item, is not proposed but listed under ``skipped`` with the reason, so the patch shows
every lesson and why it was or was not taken. The patch is YAML (:meth:`CatalogPatch.save`)
with a readable diff (:meth:`CatalogPatch.diff`); :func:`apply_catalog_patch` writes the
accepted proposals into a copy of the catalog, which the next run loads with
``load_catalog(copy)``.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from formmerge.bundle import BUNDLE_FILE, load_bundle
from formmerge.catalog import ITEMS_DIR, ROLES_FILE, alias_key, load_catalog
from formmerge.decisions import Decision, Decisions, load_decisions
from formmerge.errors import CatalogError, DecisionsError, Location
from formmerge.models import Catalog, Field, FieldType, Form
from formmerge.normalize import normalize_label
from formmerge.problem_codes import problem
from formmerge.resources import data_path
from formmerge.role_nouns import OPEN_ROLE_PREFIX, is_open_role
from formmerge.roles import RoleDetector

__all__ = [
    "DEFAULT_MIN_COUNT",
    "LEARNED_DOMAIN",
    "CatalogPatch",
    "Equivalence",
    "LearningSource",
    "Proposal",
    "apply_catalog_patch",
    "learn_catalog",
    "learning_source",
]

LEARNED_DOMAIN = "learned"
"""The domain (``items/learned.yaml``) of items added from named equivalences."""

DEFAULT_MIN_COUNT = 1
"""Confirmations a lesson needs before it is proposed (raise it to learn only what recurs)."""

ProposalKind = Literal["alias", "role_word"]
_Key = tuple[ProposalKind, str, str]
"""A lesson: (kind, target, value)."""


class Proposal(BaseModel):
    """One name to add to the catalog, and the decisions behind it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ProposalKind
    target: str
    """The item (for an alias) or the role (for a role word)."""
    value: str
    count: int
    """How many confirmed decisions teach it."""
    sources: tuple[str, ...] = ()
    """The decisions files they come from."""
    fields: tuple[str, ...] = ()
    """The fields (``form:path``) they are about."""
    why: str = ""
    """Only on skipped lessons: why it is not proposed."""


class Equivalence(BaseModel):
    """Uncatalogued field labels that ``same:`` groups declare to ask the same question."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    labels: tuple[str, ...]
    count: int
    fields: tuple[str, ...] = ()
    item: str = ""
    """The new item's id, given by the reviewer; without it the equivalence is not applied."""
    label_en: str = ""
    type: FieldType = "string"


class CatalogPatch(BaseModel):
    """What the decisions teach: proposals to apply, equivalences to consider, and lessons
    not taken (with the reason)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    proposals: tuple[Proposal, ...] = ()
    equivalences: tuple[Equivalence, ...] = ()
    skipped: tuple[Proposal, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for YAML."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def save(self, path: str | Path) -> None:
        """Write the patch as YAML, for review before :func:`apply_catalog_patch`."""
        text = yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False)
        Path(path).write_text(text, encoding="utf-8")

    @classmethod
    def from_file(cls, path: str | Path) -> CatalogPatch:
        """Read a patch written by :meth:`save` (perhaps with proposals deleted by a reviewer).

        Raises:
            DecisionsError: the file is not a catalog patch.
        """
        if not Path(path).is_file():
            found = problem("file-not-found", "no such file", Location(file=str(path)))
            raise DecisionsError("cannot read the catalog patch", [found])
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
            return cls.model_validate(data)
        except (OSError, yaml.YAMLError, ValueError) as exc:
            where = Location(file=str(path))
            found = problem("invalid-entry", f"not a catalog patch: {exc}", where)
            raise DecisionsError("cannot read the catalog patch", [found]) from exc

    def diff(self, catalog: Catalog) -> str:
        """The patch as lines a reviewer reads: ``+ items/person.yaml name.aliases: 产妇姓名``."""
        domains = {i.id: i.domain for i in catalog.items}
        lines = []
        for p in self.proposals:
            if p.kind == "alias":
                where = f"{ITEMS_DIR}/{domains.get(p.target, '?')}.yaml {p.target}.aliases"
            else:
                where = f"{ROLES_FILE} {p.target}.words_zh"
            lines.append(f"+ {where}: {p.value}   ({p.count}x, {len(p.sources)} file(s))")
        for e in self.equivalences:
            same = " = ".join(e.labels)
            if e.item:
                where = f"{ITEMS_DIR}/{LEARNED_DOMAIN}.yaml {e.item}"
                lines.append(f"+ {where}: {same}   ({e.count}x)")
            else:
                lines.append(f"? same question, name an item to add it: {same}   ({e.count}x)")
        for s in self.skipped:
            lines.append(f"  not proposed: {s.kind} {s.value} -> {s.target}: {s.why}")
        return "\n".join(lines)


@dataclass(frozen=True)
class LearningSource:
    """One decisions file and the forms it is about (for the labels of field decisions)."""

    decisions: Decisions
    forms: Sequence[Form] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return self.decisions.source or "<decisions>"


def learning_source(path: str | Path, forms: Sequence[Form] = ()) -> LearningSource:
    """Read a decisions file; a bundle's own (next to ``bundle.yaml``) brings its forms."""
    decisions = load_decisions(path)
    found = list(forms)
    folder = Path(path).parent
    if (folder / BUNDLE_FILE).exists():
        found.extend(load_bundle(folder).forms)
    return LearningSource(decisions, tuple(found))


@dataclass
class _Lesson:
    count: int = 0
    sources: set[str] = field(default_factory=set)
    fields: list[str] = field(default_factory=list)

    def proposal(self, kind: ProposalKind, target: str, value: str, why: str = "") -> Proposal:
        """What this lesson proposes (``why``: the reason it is not applied, if it is not)."""
        return Proposal(
            kind=kind,
            target=target,
            value=value,
            count=self.count,
            sources=tuple(sorted(self.sources)),
            fields=tuple(self.fields),
            why=why,
        )


_KNOWN = "already a name of the item"


def _is_cjk(text: str) -> bool:
    return bool(text) and all("\u3400" <= ch <= "\u9fff" for ch in text)


class _Learner:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.items = {i.id: i for i in catalog.items}
        self.detector = RoleDetector.from_catalog(catalog)
        self.owner: dict[str, str] = {}
        for item in catalog.items:
            for text in (item.label_zh, item.label_en, *item.aliases, *item.shared_aliases):
                self.owner.setdefault(alias_key(text), item.id)
        self.role_words = {w for r in catalog.roles for w in r.words_zh}
        self.lessons: dict[_Key, _Lesson] = defaultdict(_Lesson)
        self.role_missed: dict[_Key, _Lesson] = defaultdict(_Lesson)
        """Lessons whose labels name a role the detector did not read: not aliases."""
        self.rejected: set[tuple[str, str]] = set()

    def names_of(self, item: str) -> list[str]:
        known = [k for k, owner in self.owner.items() if owner == item and k]
        return sorted(known, key=len, reverse=True)

    def lesson(self, d: Decision, fld: Field | None) -> tuple[_Key, bool] | None:
        """What one decision teaches, and whether the label names a role the detector missed
        (then an alias would carry the role's words into the item's names)."""
        label = fld.label if fld is not None else (d.label or "")
        if not label or d.item not in self.items:
            return None
        key = fld.key if fld is not None else ""
        groups = fld.group if fld is not None else ()
        hit = self.detector.detect(label, key, [g.label for g in groups], [g.key for g in groups])
        if hit.bare:
            return None  # the label only names the person (业主委员会联系人): no item name in it
        role = d.role
        whole = alias_key(label)
        default = hit.role is None and role == self.items[d.item].roles[0]
        missed = bool(role) and not is_open_role(role or "") and hit.role != role and not default
        if role and missed and hit.source != "label" and whole not in self.owner:
            for name in self.names_of(d.item):
                prefix = whole[: -len(name)] if whole.endswith(name) else ""
                if _is_cjk(prefix) and prefix not in self.role_words:
                    return ("role_word", role, prefix), False
        rest = hit.rest_label or normalize_label(label)
        if hit.source == "key" and whole == alias_key(key) and hit.rest_key:
            rest = hit.rest_key  # the label is the key (guardianMobilePhone): drop the role too
        noun = role[len(OPEN_ROLE_PREFIX) :] if role and is_open_role(role) else ""
        if noun and alias_key(rest).startswith(alias_key(noun)) and len(rest) > len(noun):
            rest = rest[len(noun) :].strip()  # 业主名称 about other:业主 teaches 名称
        return (("alias", d.item, rest), missed) if alias_key(rest) else None

    def read(self, source: LearningSource) -> None:
        by_ref = {(f.id, x.path): x for f in source.forms for x in f.fields}
        paths: dict[str, list[tuple[str, Field]]] = defaultdict(list)
        for (form, path), known in by_ref.items():
            paths[path].append((form, known))
        for d in source.decisions.items:
            fld: Field | None = None
            if d.field is not None and d.form is not None:
                fld = by_ref.get((d.form, d.field))
            elif d.field is not None and len(paths.get(d.field, ())) == 1:
                fld = paths[d.field][0][1]
            found = self.lesson(d, fld)
            if found is None:
                continue
            lesson, missed = found
            if d.status == "rejected":
                self.rejected.add((alias_key(lesson[2]), d.item))
                continue
            entry = (self.role_missed if missed else self.lessons)[lesson]
            entry.count += 1
            entry.sources.add(source.name)
            entry.fields.append(f"{d.form or '*'}:{d.field or d.label}")

    def why_not(self, kind: ProposalKind, target: str, value: str) -> str | None:
        key = alias_key(value)
        if kind == "role_word":
            owner = self.owner.get(key)
            return f"{value!r} is a name of item {owner}" if owner else None
        owner = self.owner.get(key)
        if owner == target:
            return _KNOWN
        if owner is not None:
            return f"already a name of item {owner}"
        if (key, target) in self.rejected:
            return "another decision rejects the item for this label"
        return None


def _equivalences(sources: Iterable[LearningSource]) -> tuple[Equivalence, ...]:
    counts: dict[tuple[str, ...], _Lesson] = defaultdict(_Lesson)
    for source in sources:
        labels = {(f.id, fld.path): fld.label for f in source.forms for fld in f.fields}
        for group in source.decisions.same:
            names = []
            for ref in group:
                form, _, path = ref.partition(":")
                names.append(normalize_label(labels.get((form, path), path)))
            key = tuple(sorted(set(names)))
            counts[key].count += 1
            counts[key].fields.extend(group)
    return tuple(
        Equivalence(labels=k, count=v.count, fields=tuple(v.fields))
        for k, v in sorted(counts.items(), key=lambda kv: (-kv[1].count, kv[0]))
    )


def learn_catalog(
    sources: Sequence[LearningSource],
    catalog: Catalog | None = None,
    *,
    min_count: int = DEFAULT_MIN_COUNT,
) -> CatalogPatch:
    """Propose aliases and role words from confirmed decisions, with counts.

    Args:
        sources: decisions files and their forms (see :func:`learning_source`).
        catalog: the catalog to improve (default: the shipped one).
        min_count: confirmations a lesson needs to be proposed.

    Returns:
        The patch: proposals most confirmed first, equivalences, and lessons not taken.
    """
    catalog = catalog or load_catalog()
    learner = _Learner(catalog)
    for source in sources:
        learner.read(source)
    proposals: list[Proposal] = []
    skipped: list[Proposal] = []
    taken: set[str] = set()
    ranked = sorted(learner.lessons.items(), key=lambda kv: (-kv[1].count, kv[0]))
    for (kind, target, value), lesson in ranked:
        base = lesson.proposal(kind, target, value)
        why = learner.why_not(kind, target, value)
        if why is None and alias_key(value) in taken:
            why = "proposed for another target with more confirmations"
        if why is None and lesson.count < min_count:
            why = f"confirmed {lesson.count} time(s), fewer than {min_count}"
        if why == _KNOWN:
            continue  # nothing to learn: the decision was about the role or the context
        if why is not None:
            skipped.append(base.model_copy(update={"why": why}))
            continue
        taken.add(alias_key(value))
        proposals.append(base)
    for (kind, target, value), lesson in sorted(learner.role_missed.items()):
        if (kind, target, value) in learner.lessons:
            continue
        why = "the label names the role in words the catalog lacks; add them as role words"
        skipped.append(lesson.proposal(kind, target, value, why=why))
    return CatalogPatch(
        proposals=tuple(proposals),
        equivalences=_equivalences(sources),
        skipped=tuple(skipped),
    )


def _mapping_value(node: Node, key: str) -> tuple[Node, Node] | None:
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == key:
                return k, v
    return None


def _insertions(entry: MappingNode, key: str, values: Sequence[str]) -> list[tuple[int, str]]:
    """Text to insert into one entry so that its list ``key`` ends with ``values``."""
    quoted = [json.dumps(v, ensure_ascii=False) for v in values]
    found = _mapping_value(entry, key)
    if found is None:
        first_key = entry.value[0][0]
        indent = " " * first_key.start_mark.column
        line_end = entry.value[0][1].end_mark.index
        return [(line_end, f"\n{indent}{key}: [{', '.join(quoted)}]")]
    _, seq = found
    if isinstance(seq, SequenceNode) and seq.flow_style:
        close = seq.end_mark.index - 1  # the closing bracket
        sep = ", " if seq.value else ""
        return [(close, sep + ", ".join(quoted))]
    if isinstance(seq, SequenceNode) and seq.value:
        indent = " " * (seq.value[0].start_mark.column - 2)
        return [(seq.value[-1].end_mark.index, "".join(f"\n{indent}- {q}" for q in quoted))]
    raise CatalogError(f"cannot add to {key!r}: it is not a list", [])


def _add_to_lists(path: Path, list_key: str, key: str, added: dict[str, list[str]]) -> None:
    """Append names to the ``key`` lists of the entries (by id) under ``list_key`` of a YAML
    file, editing the text so that its comments and layout stay as they are."""
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found = _mapping_value(root, list_key) if root is not None else None
    if found is None or not isinstance(found[1], SequenceNode):
        return
    edits: list[tuple[int, str]] = []
    for entry in found[1].value:
        ident = _mapping_value(entry, "id")
        if isinstance(entry, MappingNode) and ident is not None:
            values = added.get(str(ident[1].value), [])
            if values:
                edits.extend(_insertions(entry, key, values))
    for index, insert in sorted(edits, reverse=True):
        text = text[:index] + insert + text[index:]
    path.write_text(text, encoding="utf-8")


def apply_catalog_patch(
    patch: CatalogPatch, out_dir: str | Path, catalog_dir: str | Path | None = None
) -> Catalog:
    """Write a copy of a catalog with the patch's proposals added, and load it.

    Args:
        patch: the reviewed patch (every proposal in it is applied).
        out_dir: the new catalog directory (must not exist yet).
        catalog_dir: the catalog to copy (default: the shipped one).

    Returns:
        The patched catalog, validated.

    Raises:
        CatalogError: ``out_dir`` exists (``output-exists``), or the patched catalog is invalid
            (a name collides with another item's).
    """
    source = Path(catalog_dir) if catalog_dir is not None else data_path("field_catalog")
    out = Path(out_dir)
    if out.exists():
        message = "the directory exists; name a new one for the learned catalog"
        found = problem("output-exists", message, Location(file=str(out)))
        raise CatalogError(f"will not overwrite {str(out)!r}", [found])
    shutil.copytree(source, out)
    catalog = load_catalog(source)
    domains = {i.id: i.domain for i in catalog.items}
    aliases: dict[str, list[str]] = defaultdict(list)
    words: dict[str, list[str]] = defaultdict(list)
    for p in patch.proposals:
        (aliases if p.kind == "alias" else words)[p.target].append(p.value)
    for domain in sorted({domains[item] for item in aliases if item in domains}):
        for path in sorted((out / ITEMS_DIR).iterdir()):
            if path.stem == domain and path.suffix in (".yaml", ".yml"):
                _add_to_lists(path, "items", "aliases", aliases)
    if words:
        _add_to_lists(out / ROLES_FILE, "roles", "words_zh", words)
    named = [e for e in patch.equivalences if e.item]
    if named:
        _add_learned_items(out / ITEMS_DIR / f"{LEARNED_DOMAIN}.yaml", named)
    return load_catalog(out)


def _add_learned_items(path: Path, equivalences: Sequence[Equivalence]) -> None:
    """Append the named equivalences as items to the learned domain file (created if new)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if not text:
        head = {"domain": LEARNED_DOMAIN, "label_zh": "学习所得", "label_en": "Learned"}
        text = "# Items added by `formmerge catalog learn` from same: groups in decisions.\n"
        text += yaml.safe_dump(head, allow_unicode=True, sort_keys=False) + "\nitems:\n"
    entries = []
    for e in equivalences:
        entry: dict[str, Any] = {
            "id": e.item,
            "label_zh": e.labels[0],
            "label_en": e.label_en or e.item.replace("_", " ").capitalize(),
        }
        if len(e.labels) > 1:
            entry["aliases"] = list(e.labels[1:])
        if e.type != "string":
            entry["type"] = e.type
        entry["description"] = f"Learned: {e.count} same: group(s) ask it ({', '.join(e.fields)})."
        entries.append(entry)
    body = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=1000)
    if not text.endswith("\n"):
        text += "\n"
    text += "".join("  " + line for line in body.splitlines(keepends=True))
    path.write_text(text, encoding="utf-8")
