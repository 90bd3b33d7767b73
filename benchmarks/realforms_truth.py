"""The real-forms benchmark's truth: the split and the hand annotations, read and checked.

``benchmarks/realforms/split.yaml`` names the annotated forms of each corpus, ``dev`` and
``held_out``; ``benchmarks/realforms/annotations/<corpus>/<stem>.yaml`` holds one form's
annotation (format: ``benchmarks/realforms/annotations/README.md``). The forms themselves
live outside the repository, in ``../shared/realforms-dev/`` and ``../shared/reference/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "ANNOTATIONS",
    "CORPORA",
    "LANGUAGE_GROUPS",
    "SPLITS",
    "AnnotatedField",
    "AnnotatedForm",
    "annotated_forms",
    "annotation_path",
    "load_annotation",
    "load_split",
    "source_path",
]

ROOT = Path(__file__).resolve().parents[1]
REALFORMS = ROOT / "benchmarks" / "realforms"
ANNOTATIONS = REALFORMS / "annotations"
SHARED = ROOT.parent / "shared"

CORPORA: dict[str, tuple[str, Path]] = {
    # split.yaml's name -> (annotation folder, where the files are)
    "zhejiang": ("zhejiang", SHARED / "realforms-dev" / "zhejiang"),
    "va": ("va", SHARED / "realforms-dev" / "va"),
    "us-grants-forms": ("us-grants", SHARED / "reference" / "us-grants-forms"),
}
"""Corpus name in split.yaml -> (annotation folder name, directory of the source files)."""

LANGUAGE_GROUPS: dict[str, tuple[str, ...]] = {
    "zh": ("zhejiang",),
    "en": ("va", "us-grants-forms"),
}
"""Forms of one group are matched and merged together; groups never mix."""

SPLITS = ("dev", "held_out")


@dataclass(frozen=True)
class AnnotatedField:
    """One field of a form as the annotator read it."""

    key: str
    label: str = ""
    section: str = ""
    items: tuple[str, ...] = ()
    """Catalog item ids or ``x:`` concepts; two for a field that asks two items in one answer."""
    role: str | None = None
    patterns: tuple[str, ...] = ()
    office_use: bool = False

    @property
    def scored(self) -> bool:
        """Office-use fields are listed but never scored."""
        return not self.office_use

    @property
    def covered(self) -> bool:
        """True when at least one of the field's items is a catalog item (not an ``x:``)."""
        return any(not item.startswith("x:") for item in self.items)

    @property
    def truth_label(self) -> str:
        """What two fields share when they are the same data: items and role."""
        return "+".join(sorted(self.items)) + "@" + (self.role or "")


@dataclass(frozen=True)
class AnnotatedForm:
    """One annotated form: where it is, whom it is about, and every field it asks."""

    corpus: str
    """The corpus's name in split.yaml (``zhejiang``, ``va``, ``us-grants-forms``)."""
    file: str
    path: Path
    """The source file (outside the repository)."""
    title: str
    subject: str
    fields: tuple[AnnotatedField, ...]

    @property
    def form_id(self) -> str:
        """A form id unique across corpora: ``<annotation folder>/<file stem>``."""
        return f"{CORPORA[self.corpus][0]}/{Path(self.file).stem}"


def load_split(path: Path = REALFORMS / "split.yaml") -> dict[str, dict[str, list[str]]]:
    """The split: corpus -> ``dev`` / ``held_out`` -> file names."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {corpus: {s: list(files.get(s) or []) for s in SPLITS} for corpus, files in data.items()}


def source_path(corpus: str, file: str) -> Path:
    """Where the source file of an annotated form is."""
    return CORPORA[corpus][1] / file


def annotation_path(corpus: str, file: str, root: Path = ANNOTATIONS) -> Path:
    """Where the annotation of one form is (it may not exist yet)."""
    return root / CORPORA[corpus][0] / f"{Path(file).stem}.yaml"


def _items(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _field(entry: dict[str, Any], where: str) -> AnnotatedField:
    if not isinstance(entry, dict) or "key" not in entry:
        raise ValueError(f"{where}: every field needs a key, got {entry!r}")
    office = bool(entry.get("office_use", False))
    items = _items(entry.get("item"))
    if not office and (not items or not entry.get("role")):
        raise ValueError(f"{where}: field {entry['key']!r} needs an item and a role")
    return AnnotatedField(
        key=str(entry["key"]),
        label=str(entry.get("label") or ""),
        section=str(entry.get("section") or ""),
        items=items,
        role=entry.get("role"),
        patterns=tuple(entry.get("patterns") or ()),
        office_use=office,
    )


def load_annotation(corpus: str, file: str, root: Path = ANNOTATIONS) -> AnnotatedForm | None:
    """One form's annotation, or None when it has not been written.

    Raises:
        ValueError: a malformed annotation (named by file and field), or a key used twice.
    """
    path = annotation_path(corpus, file, root)
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("fields"), list):
        raise ValueError(f"{path.name}: needs a list of fields")
    fields = tuple(
        _field(entry, f"{path.name}, field {i + 1}") for i, entry in enumerate(data["fields"])
    )
    keys = [f.key for f in fields]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise ValueError(f"{path.name}: keys annotated twice: {', '.join(twice)}")
    return AnnotatedForm(
        corpus=corpus,
        file=file,
        path=source_path(corpus, file),
        title=str(data.get("title") or ""),
        subject=str(data.get("subject") or ""),
        fields=fields,
    )


def annotated_forms(
    split: str, group: str, root: Path = ANNOTATIONS
) -> tuple[list[AnnotatedForm], list[str]]:
    """The annotated forms of one split (``dev``, ``held_out`` or ``all``) and language group.

    Returns:
        The annotations found, and the ``corpus/file`` names of the split that have none yet.
    """
    splits: Sequence[str] = SPLITS if split == "all" else (split,)
    chosen = load_split()
    found: list[AnnotatedForm] = []
    absent: list[str] = []
    for corpus in LANGUAGE_GROUPS[group]:
        for s in splits:
            for file in chosen.get(corpus, {}).get(s, []):
                form = load_annotation(corpus, file, root)
                if form is None:
                    absent.append(f"{corpus}/{file}")
                else:
                    found.append(form)
    return found, absent
