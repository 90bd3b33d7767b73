"""The domain model: forms, fields, materials, and the shared-data catalog.

All models are pydantic v2 models that round-trip plain data (``to_dict`` / ``model_validate``),
so that every declarative file formmerge reads (catalog, forms, bundles) is validated by the
same classes the code uses.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, PrivateAttr, model_validator
from pydantic import Field as PydanticField

__all__ = [
    "Candidate",
    "Catalog",
    "CatalogItem",
    "Code",
    "CodeList",
    "Conflict",
    "Field",
    "FieldMatch",
    "FieldRef",
    "FieldType",
    "Form",
    "GapCandidate",
    "Group",
    "MatchStatus",
    "Material",
    "MaterialKind",
    "MaterialType",
    "MergedField",
    "MergedForm",
    "MergedMaterial",
    "Note",
    "Option",
    "Process",
    "Role",
    "Sensitivity",
    "Subject",
]

FieldType = Literal["string", "integer", "number", "boolean", "date", "datetime", "enum", "file"]
"""Value types a field or catalog item can have. ``enum`` means a choice among options."""

FIELD_TYPES: tuple[str, ...] = FieldType.__args__  # type: ignore[attr-defined]

MaterialKind = Literal["original", "copy", "scan", "e-licence"]
"""How a supporting document is handed in: paper original, photocopy, scan or e-licence."""

Sensitivity = Literal["public", "internal", "sensitive", "secret"]
"""Sensitivity level of a catalog item; ``sensitive`` and above are masked in logs."""

Subject = Literal["person", "organization"]
"""Whom a form is mainly about: a natural person or an enterprise/organization."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-compatible), omitting defaults, for writing back to YAML/JSON."""
        return self.model_dump(mode="json", exclude_defaults=True)


# --------------------------------------------------------------------------- forms


class Option(_Model):
    """One choice of an enumerated field, as the form writes it."""

    code: str
    label: str = ""


class Group(_Model):
    """A section of a form that contains fields (nested object, fieldset, table)."""

    key: str
    label: str = ""
    repeating: bool = False
    """True for a repeating group (an array of objects: several children, several shareholders)."""


class Field(_Model):
    """One field of a departmental form, as the department wrote it."""

    key: str
    label: str = ""
    type: FieldType = "string"
    required: bool = False
    max_length: int | None = PydanticField(default=None, ge=0)
    min_length: int | None = PydanticField(default=None, ge=0)
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    options: tuple[Option, ...] = ()
    format: str | None = None
    """A named value format (``citizen-id``, ``mobile``, ``email``, ``date`` ...)."""
    date_format: str | None = None
    """The form's own date format as a strftime pattern, e.g. ``%Y年%m月%d日``; ISO if unset."""
    group: tuple[Group, ...] = ()
    """The path of sections this field sits in, outermost first."""
    description: str = ""
    examples: tuple[str, ...] = ()
    item: str | None = None
    """An explicit catalog item id for this field, when the form author already knows it."""
    role: str | None = None
    """An explicit role id for this field (used with ``item``)."""

    @model_validator(mode="after")
    def _check(self) -> Field:
        if not self.key.strip() and not self.label.strip():
            raise ValueError("a field needs a key or a label; both are empty")
        if self.type == "enum" and not self.options:
            raise ValueError("an enum field needs options")
        lengths = (self.min_length, self.max_length)
        if lengths[0] is not None and lengths[1] is not None and lengths[0] > lengths[1]:
            raise ValueError(f"min_length {lengths[0]} > max_length {lengths[1]}")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"minimum {self.minimum} > maximum {self.maximum}")
        return self

    @property
    def path(self) -> str:
        """The field's address inside its form: group keys and key joined by ``/``."""
        return "/".join([g.key for g in self.group] + [self.key])

    @property
    def repeating(self) -> bool:
        """True if the field sits inside a repeating group."""
        return any(g.repeating for g in self.group)


class Material(_Model):
    """A supporting document a form asks for."""

    name: str
    kind: MaterialKind = "original"
    material_id: str | None = None
    """The catalog material type it is, if known (otherwise matched by name)."""
    evidences: tuple[str, ...] = ()
    """Catalog item ids the document proves; the catalog's material type supplies a default."""
    required: bool = True
    copies: int = PydanticField(default=1, ge=1)


class Process(_Model):
    """Process metadata of one matter (事项) or of a whole bundle."""

    steps: int = PydanticField(default=0, ge=0)
    trips: int = PydanticField(default=0, ge=0)
    """In-person trips (跑动次数)."""
    days: float = PydanticField(default=0, ge=0)
    """Time limit in working days (办理时限)."""


class Note(_Model):
    """A located remark a reader made on a form: a part it skipped (office-use boxes, a
    UI-only object) or read leniently. ``code`` is a kebab-case problem code."""

    code: str
    message: str
    pointer: str | None = None
    """Where in the file: a JSON pointer, a table cell (``table 1, row 3``) or an XPath."""
    line: int | None = None
    severity: Literal["info", "warning"] = "warning"
    """``info``: a part skipped by design (office-use boxes, a signature block); ``warning``:
    something read leniently or left out that a strict reading refuses."""


class Form(_Model):
    """One departmental application form (one matter's form)."""

    id: str
    title: str = ""
    department: str = ""
    matter: str = ""
    subject: Subject = "person"
    default_role: str | None = None
    """Whom fields without role words are about, when not the applicant (a vaccination check is
    about the child, a maternity allowance claim about the mother)."""
    language: str = "zh"
    fields: tuple[Field, ...] = ()
    materials: tuple[Material, ...] = ()
    process: Process = Process()
    produces: tuple[str, ...] = ()
    """Catalog item ids this department's act produces (e.g. the birth certificate number)."""
    consumes: tuple[str, ...] = ()
    """Catalog item ids that must exist before this department can act."""
    source_file: str | None = PydanticField(default=None, exclude=True)
    """The file the form was read from (not part of the form's data)."""
    notes: tuple[Note, ...] = PydanticField(default=(), exclude=True)
    """What the reader skipped or read leniently, each with its place (not part of the form's
    data; ``strict`` reading turns them into errors)."""

    @model_validator(mode="after")
    def _unique_paths(self) -> Form:
        seen: set[str] = set()
        dup = sorted({f.path for f in self.fields if f.path in seen or seen.add(f.path)})  # type: ignore[func-returns-value]
        if dup:
            raise ValueError(f"duplicate field keys: {', '.join(dup)}")
        return self

    def field(self, path: str) -> Field:
        """The field at ``path``. Raises KeyError if there is none."""
        for f in self.fields:
            if f.path == path:
                return f
        raise KeyError(path)


# --------------------------------------------------------------------------- catalog


class Role(_Model):
    """Whose data a field is about: applicant, spouse, father, legal representative ..."""

    id: str
    label_zh: str
    label_en: str
    words_zh: tuple[str, ...] = ()
    """Chinese words that mark the role in a label or group (配偶, 夫, 妻 ...)."""
    words_en: tuple[str, ...] = ()
    """English words that mark the role (spouse, husband, wife ...), lower case."""
    key_prefixes: tuple[str, ...] = ()
    """Key prefixes that mark the role: pinyin initials (``po``, ``fq``) and English stems."""
    person: bool = True
    """False for the organization itself (an enterprise is not a natural person)."""
    modifiers_qualify: bool = False
    """True if a modifier before the role's word names someone else: 项目负责人 and 财务负责人
    are not the organization's 负责人 but open roles (``other:项目负责人``); 查询申请人 and
    社保专管员 stay the applicant and the contact."""
    form_title_words: tuple[str, ...] = ()
    """Words in a form's title that make the form about this role's subject (丧葬 -> the
    deceased, 企业 -> the organization, 职工 -> the applicant).

    See :mod:`formmerge.matching.subject`."""
    form_fields: tuple[tuple[str, ...], ...] = ()
    """Sets of catalog item ids that, all asked on one form without naming another role, make
    the form about this role's subject (``[uscc, enterprise_name]`` -> the organization)."""
    form_roles: tuple[str, ...] = ()
    """Roles whose presence on a form makes the form about this role's subject: a form that
    asks for a legal representative (法定代表人) is an organization's, since a natural person
    has none."""


class RoleNoun(_Model):
    """A noun (or noun ending) that names a person or body no standard role covers.

    抵押权人, 转让方, 施工单位 and "business partner" are not the applicant and not one of
    roles.yaml's roles: they get a qualified role ``other:<noun>`` of their own.
    """

    word: str
    """The noun or its ending (人, 方, 单位, 董事, partner), normalised like a label."""
    person: bool = True
    """False for a body (施工单位): a bare label then asks its name, not a person's name."""
    alone: bool = False
    """True if the word is a noun by itself (董事, partner); False for an ending that needs a
    modifier before it (人 in 抵押权人, 方 in 转让方)."""
    exceptions: tuple[str, ...] = ()
    """Whole nouns with this ending that are no role of their own (本人, 个人, 工作单位)."""
    filer: bool = False
    """True if the person may be the one filing the form (a veteran on a veterans' form): on a
    form that names no applicant otherwise, the noun is the applicant; where the form names a
    claimant or applicant besides, it is someone else (``other:veteran``)."""


DerivationRule = Literal[
    "citizen_id_birth_date",
    "citizen_id_sex",
    "citizen_id_region",
    "same_value",
    "age_on_application_date",
]
"""How a derived item is computed from its source (see :mod:`formmerge.derivations`)."""


class DerivationCondition(_Model):
    """The derivation holds only when another item of the same person has this value."""

    item: str
    equals: str
    """The canonical value (a code-list code) the item must have."""


class Derivation(_Model):
    """An item that follows from another item of the same person (``derivations.yaml``).

    ``age`` from the ``birth_date`` and the application date; ``birth_date``, ``sex`` and the
    region of first registration from a valid ``citizen_id``; the social security number and
    (for a resident identity card) the document number equal to the ``citizen_id``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    item: str
    """The item derived."""
    source: str = PydanticField(alias="from")
    """The item it is derived from, of the same role."""
    rule: DerivationRule
    when: DerivationCondition | None = None
    """A condition on another item of the same role: when the form asks that item, the
    derivation holds only if its value is ``equals``; when it does not ask it, it holds."""
    description: str = ""


class Code(_Model):
    """One entry of a code list: the canonical code, labels, and other spellings."""

    code: str
    label_zh: str
    label_en: str = ""
    aliases: tuple[str, ...] = ()


class CodeList(_Model):
    """An enumeration with canonical codes, e.g. sex per GB/T 2261.1."""

    id: str
    label_zh: str
    label_en: str = ""
    standard: str = ""
    codes: tuple[Code, ...]


class CatalogItem(_Model):
    """One shared data item (共享数据项)."""

    id: str
    domain: str
    label_zh: str
    label_en: str
    aliases: tuple[str, ...] = ()
    """Other names on real forms: Chinese and English variants, abbreviations, pinyin keys."""
    shared_aliases: tuple[str, ...] = ()
    """Aliases knowingly shared with another item (each of the items must list them)."""
    type: FieldType = "string"
    format: str | None = None
    """Name of a validator in :mod:`formmerge.validators` the value must pass."""
    code_list: str | None = None
    named_codes: str | None = None
    """A code list whose names a register may hold where forms want the code (a region's
    name, 宜昌市, for its GB/T 2260 code, 420500): prefill converts a name to its code when the
    merged field wants digits. The item stays text (it is no enum)."""
    max_length: int | None = None
    roles: tuple[str, ...] = ("applicant",)
    """Roles the item can be about; the first is the default when a field names none."""
    department: str = ""
    sensitivity: Sensitivity = "internal"
    description: str = ""


class MaterialType(_Model):
    """A kind of supporting document and the catalog items it evidences."""

    id: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()
    evidences: tuple[str, ...] = ()
    issuer: str = ""
    e_licence: bool = False
    """True if a shared source can supply it as an electronic licence (电子证照)."""


class Catalog(_Model):
    """The whole catalog: items, roles, code lists and material types."""

    items: tuple[CatalogItem, ...]
    roles: tuple[Role, ...]
    code_lists: tuple[CodeList, ...] = ()
    materials: tuple[MaterialType, ...] = ()
    role_nouns: tuple[RoleNoun, ...] = ()
    """Nouns that name people and bodies without a standard role (``role_nouns.yaml``)."""
    derivations: tuple[Derivation, ...] = ()
    """Items that follow from another item of the same person (``derivations.yaml``)."""
    _indexes: dict[str, dict[str, Any]] = PrivateAttr(default_factory=dict)

    def item(self, item_id: str) -> CatalogItem:
        """The item with this id. Raises KeyError if there is none."""
        return cast(CatalogItem, self._index("items")[item_id])

    def role(self, role_id: str) -> Role:
        """The role with this id. Raises KeyError if there is none."""
        return cast(Role, self._index("roles")[role_id])

    def code_list(self, code_list_id: str) -> CodeList:
        """The code list with this id. Raises KeyError if there is none."""
        return cast(CodeList, self._index("code_lists")[code_list_id])

    def material(self, material_id: str) -> MaterialType:
        """The material type with this id. Raises KeyError if there is none."""
        return cast(MaterialType, self._index("materials")[material_id])

    @property
    def fingerprint(self) -> str:
        """A hash of the catalog's whole content (``sha256:`` and 16 hex digits): a merged form
        records it, so that later steps can refuse a different catalog (see
        :func:`formmerge.catalog.catalog_for`)."""
        return cast(str, self._indexes["fingerprint"]["sha256"])

    def model_post_init(self, context: Any, /) -> None:
        # built eagerly so that two equal catalogs also have equal private state
        for attr in ("items", "roles", "code_lists", "materials"):
            self._indexes[attr] = {x.id: x for x in getattr(self, attr)}
        digest = hashlib.sha256(self.__pydantic_serializer__.to_json(self)).hexdigest()
        self._indexes["fingerprint"] = {"sha256": f"sha256:{digest[:16]}"}

    def _index(self, attr: str) -> dict[str, Any]:
        return self._indexes[attr]


# --------------------------------------------------------------------------- matching and merging

MatchStatus = Literal["matched", "review", "unmatched"]
"""``matched``: confident; ``review``: plausible, a person should confirm; ``unmatched``: none."""


class FieldRef(_Model):
    """A pointer to one field of one source form."""

    form: str
    path: str

    def __str__(self) -> str:
        return f"{self.form}:{self.path}"


class Candidate(_Model):
    """One catalog item considered for a field, with its score."""

    item: str
    score: float


class FieldMatch(_Model):
    """The mapping of one source field to a (catalog item, role), with its evidence."""

    form: str
    path: str
    label: str
    item: str | None
    role: str | None
    score: float = PydanticField(ge=0.0, le=1.0)
    status: MatchStatus
    reasons: tuple[str, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    decided: bool = False
    """True when a decisions file, not the matcher, fixed this mapping."""

    @property
    def ref(self) -> FieldRef:
        """The source field this match is about."""
        return FieldRef(form=self.form, path=self.path)


class MergedField(_Model):
    """One field of the merged application: an (item, role), or a recurring uncatalogued field."""

    id: str
    """``item@role`` for catalogued fields, ``gap:<slug>`` or ``<form>:<path>`` otherwise."""
    item: str | None
    role: str | None
    label: str
    label_en: str = ""
    type: FieldType = "string"
    required: bool = False
    max_length: int | None = None
    min_length: int | None = None
    patterns: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    options: tuple[Option, ...] = ()
    """Allowed canonical codes (code-list codes for catalogued items) when the field is an enum."""
    code_list: str | None = None
    format: str | None = None
    sources: tuple[FieldRef, ...]


class Conflict(_Model):
    """Source fields merged into one field whose constraints no single value can satisfy."""

    field: str
    code: str
    message: str
    sources: tuple[FieldRef, ...]


class MergedMaterial(_Model):
    """One supporting document of the merged application, asked once for all forms."""

    id: str
    name: str
    kind: MaterialKind = "original"
    evidences: tuple[str, ...] = ()
    forms: tuple[str, ...]
    """Ids of the source forms that ask for it."""


class GapCandidate(_Model):
    """An uncatalogued field that recurs across forms: a candidate for a new catalog item."""

    field: str
    label: str
    forms: int
    sources: tuple[FieldRef, ...]


class MergedForm(_Model):
    """The single application (一表申请): one field per (item, role), with full lineage."""

    id: str
    title: str = ""
    forms: tuple[Form, ...]
    """The source forms, kept so that answers can be split back into each one's payload."""
    fields: tuple[MergedField, ...]
    matches: tuple[FieldMatch, ...]
    materials: tuple[MergedMaterial, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    gaps: tuple[GapCandidate, ...] = ()
    catalog: str = ""
    """The fingerprint of the catalog the forms were merged with (:attr:`Catalog.fingerprint`);
    split, read-back and prefill refuse another catalog. Empty in files written before it was
    recorded: then any catalog is taken."""
    identities: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The roles the bundle declares can be the same person: (role, roles it may be)."""
    binding: tuple[tuple[str, str], ...] = ()
    """The roles bound for this application: (role, the role it is), see
    :mod:`formmerge.identities`; empty when every role is its own person."""

    def field(self, field_id: str) -> MergedField:
        """The merged field with this id. Raises KeyError if there is none."""
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    @property
    def items(self) -> frozenset[tuple[str, str]]:
        """The (item, role) pairs the application asks for: what prefill may read."""
        return frozenset((f.item, f.role or "") for f in self.fields if f.item is not None)
