"""Bundles: the set of departmental forms served as one application (一件事).

A bundle is a directory::

    <bundle>/
        bundle.yaml      id, title, title_en, description, subject, process, forms,
                     identities
        forms/           one file per departmental form (YAML, JSON, JSON Schema, CSV + meta)
        expected.yaml    hand-written ground truth: every field's (item, role), or null
        README.md        what real matter the bundle models

:func:`load_bundle` reads ``bundle.yaml`` and every form, gathering all problems into one
:class:`~formmerge.errors.BundleError`. :func:`load_expected` reads ``expected.yaml`` and
:func:`check_expected` says where it disagrees with the forms or the catalog.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic import Field as PydanticField

from formmerge.documents import read_document
from formmerge.errors import BundleError, FormmergeError, Location, Problem
from formmerge.ingest import is_form_file, load_form
from formmerge.models import Catalog, Form, Process, Subject
from formmerge.resources import data_path

__all__ = [
    "BUNDLE_FILE",
    "EXPECTED_FILE",
    "FORMS_DIR",
    "Bundle",
    "ExpectedMapping",
    "check_expected",
    "list_example_bundles",
    "load_bundle",
    "load_expected",
]

BUNDLE_FILE = "bundle.yaml"
"""The bundle's descriptor, at the top of the bundle directory."""

EXPECTED_FILE = "expected.yaml"
"""The hand-written ground-truth mapping of the bundle's fields."""

FORMS_DIR = "forms"
"""Where the forms live when ``bundle.yaml`` does not list them."""

ROLE_SEPARATOR = "@"
"""Separates the item and the role in an expected mapping value: ``citizen_id@father``."""

REF_SEPARATOR = ":"
"""Separates the form id and the field path in a gap reference: ``hospital:bz``."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bundle(_Frozen):
    """One life or business event (一件事): its departmental forms and the integrated process."""

    id: str
    title: str
    title_en: str = ""
    description: str = ""
    subject: Subject = "person"
    forms: tuple[Form, ...]
    process: Process = Process()
    """The bundle's declared process once integrated (e.g. 1 step, 0 trips, 1 day)."""
    identities: dict[str, tuple[str, ...]] = PydanticField(default_factory=dict)
    """Roles that can be the same person: a role to the roles it may be (see
    :mod:`formmerge.identities`); an application binds them when someone applies."""
    source_dir: Path | None = PydanticField(default=None, exclude=True)
    """The directory the bundle was read from."""

    def form(self, form_id: str) -> Form:
        """The form with this id. Raises KeyError if there is none."""
        for f in self.forms:
            if f.id == form_id:
                return f
        raise KeyError(form_id)

    @property
    def process_before(self) -> Process:
        """The separate matters' processes added up: steps, trips and days before integration."""
        return Process(
            steps=sum(f.process.steps for f in self.forms),
            trips=sum(f.process.trips for f in self.forms),
            days=sum(f.process.days for f in self.forms),
        )


class _BundleFile(_Frozen):
    """The keys ``bundle.yaml`` may hold."""

    id: str = PydanticField(min_length=1)
    title: str = PydanticField(min_length=1)
    title_en: str = ""
    description: str = ""
    subject: Subject = "person"
    process: Process = Process()
    forms: tuple[str, ...] | None = None
    identities: dict[str, tuple[str, ...]] = PydanticField(default_factory=dict)


class ExpectedMapping(_Frozen):
    """Ground truth for one bundle: the (item, role) of every field, and the expected merge.

    ``mapping`` is ``{form id: {field path: "item@role" or None}}``; ``None`` marks a field no
    catalog item covers. ``gaps`` lists groups of such fields that mean the same thing across
    forms, as ``"form:path"`` references. ``merged_fields`` is the number of fields of the merged
    form: distinct (item, role) pairs, plus one per gap group, plus one per other unmatched field.
    """

    mapping: dict[str, dict[str, str | None]]
    merged_fields: int = PydanticField(ge=0)
    gaps: tuple[tuple[str, ...], ...] = ()

    @field_validator("mapping")
    @classmethod
    def _values_name_item_and_role(
        cls, value: dict[str, dict[str, str | None]]
    ) -> dict[str, dict[str, str | None]]:
        bad = [
            f"{form}:{path} = {target!r}"
            for form, fields in value.items()
            for path, target in fields.items()
            if target is not None and _split_target(target) is None
        ]
        if bad:
            raise ValueError("values must be 'item@role' or null: " + "; ".join(bad))
        return value

    @field_validator("gaps")
    @classmethod
    def _gaps_are_refs(cls, value: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        bad = [ref for group in value for ref in group if REF_SEPARATOR not in ref]
        if bad:
            raise ValueError("gap references must be 'form:path': " + ", ".join(bad))
        short = [list(group) for group in value if len(group) < 2]
        if short:
            raise ValueError(f"a gap group needs two or more fields: {short}")
        return value

    def target(self, form: str, path: str) -> tuple[str, str] | None:
        """The expected ``(item, role)`` of a field, or None if it must stay unmatched.

        Raises:
            KeyError: the field is not in the mapping.
        """
        value = self.mapping[form][path]
        return None if value is None else _split_target(value)

    def pairs(self) -> frozenset[tuple[str, str]]:
        """The distinct (item, role) pairs the merged form should ask for."""
        return frozenset(
            pair
            for fields in self.mapping.values()
            for value in fields.values()
            if value is not None and (pair := _split_target(value)) is not None
        )

    def unmatched(self) -> list[tuple[str, str]]:
        """The ``(form, path)`` of every field that must stay unmatched, in file order."""
        return [
            (form, path)
            for form, fields in self.mapping.items()
            for path, value in fields.items()
            if value is None
        ]

    def gap_refs(self) -> list[list[tuple[str, str]]]:
        """The gap groups as lists of ``(form, path)``."""
        return [[_split_ref(ref) for ref in group] for group in self.gaps]

    def count_merged_fields(self) -> int:
        """The merged field count the mapping implies (to check ``merged_fields`` against)."""
        in_gaps = {ref for group in self.gap_refs() for ref in group}
        lone = [ref for ref in self.unmatched() if ref not in in_gaps]
        return len(self.pairs()) + len(self.gaps) + len(lone)


def _split_target(value: str) -> tuple[str, str] | None:
    item, sep, role = value.partition(ROLE_SEPARATOR)
    if not sep or not item.strip() or not role.strip() or ROLE_SEPARATOR in role:
        return None
    return item.strip(), role.strip()


def _split_ref(ref: str) -> tuple[str, str]:
    form, _, path = ref.partition(REF_SEPARATOR)
    return form, path


# --------------------------------------------------------------------------- loading


def _read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """The data of a bundle's YAML file, or the problems that stop it being read.

    Keys written twice are problems too: the file is not read in part.
    """
    try:
        document = read_document(path, file=str(path), error=BundleError)
    except BundleError as exc:
        return None, exc.problems
    return document.data, document.problems


def _validation_problems(exc: ValidationError, file: Path) -> list[Problem]:
    return [
        Problem(
            "invalid-bundle",
            f"{error['msg']} (fix or remove this key)",
            Location(file=str(file), pointer="/" + "/".join(str(p) for p in error["loc"])),
        )
        for error in exc.errors()
    ]


def _bundle_dir(path: str | Path, file_name: str) -> tuple[Path, Path]:
    p = Path(path)
    if p.is_dir():
        return p, p / file_name
    return p.parent, p


def _form_files(directory: Path, listed: Iterable[str] | None) -> list[Path]:
    if listed is not None:
        return [directory / name for name in listed]
    forms_dir = directory / FORMS_DIR
    if not forms_dir.is_dir():
        return []
    return sorted(p for p in forms_dir.iterdir() if p.is_file() and is_form_file(p))


def _load_forms(files: list[Path]) -> tuple[list[Form], list[Problem]]:
    forms: list[Form] = []
    problems: list[Problem] = []
    first_file: dict[str, Path] = {}
    for file in files:
        if not file.is_file():
            problems.append(
                Problem(
                    "file-not-found",
                    "form file listed in bundle.yaml does not exist; fix the path or add the file",
                    Location(file=str(file)),
                )
            )
            continue
        try:
            form = load_form(file)
        except FormmergeError as exc:
            problems.extend(
                exc.problems or [Problem("invalid-form", exc.summary, Location(str(file)))]
            )
            continue
        if form.id in first_file:
            problems.append(
                Problem(
                    "duplicate-form-id",
                    f"form id {form.id!r} is already used by {first_file[form.id]}; "
                    "give each form its own id",
                    Location(file=str(file), form=form.id),
                )
            )
            continue
        first_file[form.id] = file
        forms.append(form)
    return forms, problems


def load_bundle(path: str | Path) -> Bundle:
    """Read a bundle directory (or its ``bundle.yaml``) and every form it names.

    Args:
        path: the bundle directory, or the path of its ``bundle.yaml``.

    Returns:
        The bundle with its forms in the order ``bundle.yaml`` lists them (file-name order when
        it lists none, taking every form file in ``forms/``).

    Raises:
        BundleError: ``bundle.yaml`` is missing, not YAML or has unknown or invalid keys; a
            listed form file is missing or cannot be read; two forms share an id; the bundle has
            no forms. Every problem found is reported, each naming its file.
    """
    directory, file = _bundle_dir(path, BUNDLE_FILE)
    raw, problems = _read_yaml(file)
    if problems:
        raise BundleError(f"cannot read bundle at {directory}", problems)
    if not isinstance(raw, Mapping):
        raise BundleError(
            f"cannot read bundle at {directory}",
            [
                Problem(
                    "not-a-mapping",
                    "bundle.yaml must be a mapping of keys",
                    Location(str(file), line=1),
                )
            ],
        )
    try:
        spec = _BundleFile.model_validate(raw)
    except ValidationError as exc:
        raise BundleError(
            f"invalid bundle.yaml at {directory}", _validation_problems(exc, file)
        ) from None
    files = _form_files(directory, spec.forms)
    forms, problems = _load_forms(files)
    if spec.identities:
        from formmerge.catalog import load_catalog  # deferred: the catalog imports much
        from formmerge.identities import identity_problems

        problems += identity_problems(spec.identities, load_catalog(), str(file))
    if not files:
        problems.append(
            Problem(
                "no-forms",
                f"the bundle has no forms; list them under 'forms' or put them in {FORMS_DIR}/",
                Location(file=str(file)),
            )
        )
    if problems:
        raise BundleError(f"bundle {spec.id!r} has problems", problems)
    return Bundle(
        id=spec.id,
        title=spec.title,
        title_en=spec.title_en,
        description=spec.description,
        subject=spec.subject,
        forms=tuple(forms),
        process=spec.process,
        identities=spec.identities,
        source_dir=directory,
    )


def load_expected(path: str | Path) -> ExpectedMapping:
    """Read a bundle's ``expected.yaml`` (given the bundle directory or the file itself).

    Raises:
        BundleError: the file is missing, not YAML, or does not have the expected shape.
    """
    directory, file = _bundle_dir(path, EXPECTED_FILE)
    raw, problems = _read_yaml(file)
    if problems:
        raise BundleError(f"cannot read expected mapping at {directory}", problems)
    try:
        return ExpectedMapping.model_validate(raw)
    except ValidationError as exc:
        raise BundleError(
            f"invalid expected.yaml at {directory}", _validation_problems(exc, file)
        ) from None


def list_example_bundles() -> list[Path]:
    """The directories of the example bundles shipped with formmerge, sorted by name."""
    root = data_path("examples") / "bundles"
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / BUNDLE_FILE).is_file())


# --------------------------------------------------------------------------- checking


def check_expected(
    bundle: Bundle, expected: ExpectedMapping, catalog: Catalog | None = None
) -> list[Problem]:
    """Where an expected mapping disagrees with its bundle (and with the catalog, if given).

    Checks that every field of every form is mapped exactly once and nothing else is; that
    gap references point at fields mapped to null; that ``merged_fields`` agrees with the
    mapping; and, given a catalog, that every item and role exists and that the role is one the
    item allows, and that the forms' ``produces``/``consumes`` name catalog items.

    Returns:
        The problems found; an empty list when the file is consistent.
    """
    file = str(bundle.source_dir / EXPECTED_FILE) if bundle.source_dir else EXPECTED_FILE
    problems: list[Problem] = []

    def add(code: str, message: str, form: str | None = None, field: str | None = None) -> None:
        problems.append(Problem(code, message, Location(file=file, form=form, field=field)))

    forms = {f.id: f for f in bundle.forms}
    for form_id in sorted(set(expected.mapping) - set(forms)):
        add("unknown-form", "the bundle has no form with this id", form_id)
    for form in bundle.forms:
        mapped = expected.mapping.get(form.id)
        if mapped is None:
            add("form-not-mapped", "the form's fields are missing from the mapping", form.id)
            continue
        paths = {f.path for f in form.fields}
        for path in sorted(paths - set(mapped)):
            add("field-not-mapped", "field missing from the mapping", form.id, path)
        for path in sorted(set(mapped) - paths):
            add("unknown-field", "the form has no field at this path", form.id, path)
    for group in expected.gap_refs():
        for form_id, path in group:
            if expected.mapping.get(form_id, {}).get(path, "") is not None:
                add("gap-not-null", "a gap field must be mapped to null", form_id, path)
    implied = expected.count_merged_fields()
    if implied != expected.merged_fields:
        add(
            "merged-fields-mismatch",
            f"merged_fields is {expected.merged_fields} but the mapping implies {implied}",
        )
    if catalog is not None:
        problems.extend(_catalog_problems(bundle, expected, catalog, file))
    return problems


def _catalog_problems(
    bundle: Bundle, expected: ExpectedMapping, catalog: Catalog, file: str
) -> list[Problem]:
    problems: list[Problem] = []
    items = {i.id: i for i in catalog.items}
    roles = {r.id for r in catalog.roles}
    for form_id, fields in expected.mapping.items():
        for path, value in fields.items():
            target = None if value is None else _split_target(value)
            if target is None:
                continue
            item, role = target
            where = Location(file=file, form=form_id, field=path)
            if item not in items:
                problems.append(Problem("unknown-item", f"no catalog item {item!r}", where))
            if role not in roles:
                problems.append(Problem("unknown-role", f"no catalog role {role!r}", where))
            elif item in items and role not in items[item].roles:
                allowed = ", ".join(items[item].roles)
                problems.append(
                    Problem("role-not-allowed", f"{item} allows roles {allowed}, not {role}", where)
                )
    for form in bundle.forms:
        kinds: tuple[tuple[Literal["produces", "consumes"], tuple[str, ...]], ...] = (
            ("produces", form.produces),
            ("consumes", form.consumes),
        )
        for key, ids in kinds:
            for item in ids:
                if item not in items:
                    problems.append(
                        Problem(
                            "unknown-item",
                            f"{key} names {item!r}, which is not a catalog item",
                            Location(file=form.source_file, form=form.id, pointer=key),
                        )
                    )
    return problems
