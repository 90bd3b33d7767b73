"""Writes one synthetic form: picks its fields from a bundle's theme and spells every label.

Used by :mod:`benchmarks.formsets`; see :mod:`benchmarks.variants` for the kinds of variation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from benchmarks.catalog_view import CatalogView, ItemNames
from benchmarks.decoys import DecoyPool
from benchmarks.labels import LabelWriter, Marker
from benchmarks.variants import TEXT_KINDS, VariationMix, space_out, to_traditional, typo
from formmerge.models import CatalogItem, Field, FieldType, Form, Group, Option, Role

__all__ = ["FieldSpec", "FormWriter", "Theme"]

PERSON_ROLES = ("spouse", "father", "mother", "child", "guardian", "agent", "contact", "deceased")
ORG_ROLES = ("legal_representative", "agent", "contact", "shareholder", "principal")
ORG_DOMAINS = ("enterprise", "tax", "credit")
ORG_EXTRA_DOMAINS = ("tax", "credit", "real_estate", "vehicle", "housing_fund", "employment")
CORE_DOMAINS = ("person", "contact")
DOMAIN_ROLES = {
    "birth": ("child", "father", "mother"),
    "marriage": ("spouse",),
    "death": ("deceased", "agent"),
    "education": ("child", "guardian"),
}
PRIMARY_PERSON_ROLES = frozenset({"applicant", "child", "deceased"})
"""Default roles an unmarked field of a person's form may have (others need a marker)."""

PERSON_WEIGHTS = {
    "name": 12, "citizen_id": 10, "mobile": 8, "sex": 6, "birth_date": 5, "current_address": 3,
    "hukou_address": 3, "ethnicity": 3, "phone": 3, "id_document_type": 2,
    "id_document_number": 2, "nationality": 2, "mailing_address": 2, "postal_code": 2,
    "email": 2, "employer_name": 2, "marital_status": 1.5, "relationship": 3,
}  # fmt: skip
ORG_WEIGHTS = {
    "enterprise_name": 12, "uscc": 10, "registered_address": 5, "enterprise_type": 3,
    "registered_capital": 3, "establishment_date": 3, "business_scope": 3, "phone": 3,
    "mobile": 2, "postal_code": 2, "email": 2, "business_address": 2, "taxpayer_id": 2,
}  # fmt: skip
WESTERN_ITEMS = frozenset(
    {"given_name", "family_name", "middle_name", "street_address", "address_line_2", "city",
     "county_district", "province_state", "country"}
)  # fmt: skip
"""Items that mostly appear on English forms (a person's name and address in parts)."""

NEUTRAL_GROUPS = {
    "zh": ("基本信息", "办理信息", "联系方式", "填报信息"),
    "en": ("General", "Details"),
}
OTHER_GROUP = {"zh": "其他事项", "en": "Other Information"}


@dataclass(frozen=True)
class Theme:
    """What the forms of one bundle have in common."""

    subject: str
    domains: tuple[str, ...]
    roles: tuple[str, ...]
    """Roles with a section of their own on the bundle's forms (empty without role variation)."""
    marked_primary: bool
    """True if the main subject's fields say so (``申请人姓名``) instead of staying unmarked."""


@dataclass(frozen=True)
class FieldSpec:
    """A field before it becomes a :class:`~formmerge.models.Field`, with its truth."""

    label: str
    key: str
    key_text: str
    """Text an English key is derived from (the label before typos and layout changes)."""
    type: FieldType
    options: tuple[Option, ...]
    group: tuple[Group, ...]
    item: str | None
    role: str | None
    cluster: str
    kinds: frozenset[str]
    source: str
    seen: bool
    language: str


@dataclass
class _FormStyle:
    language: str
    pinyin: bool
    traditional: bool
    bilingual: int | None
    shuffle: bool
    key_style: str

    def kinds(self) -> set[str]:
        out = set()
        if self.language == "en":
            out.add("english")
        if self.pinyin:
            out.add("pinyin_key")
        if self.traditional:
            out.add("traditional")
        if self.bilingual is not None:
            out.add("mixed")
        if self.shuffle:
            out.add("shuffle")
        return out


_INTERNED: dict[frozenset[str], frozenset[str]] = {}


def _kinds(kinds: set[str]) -> frozenset[str]:
    """One shared frozenset per combination of kinds (millions of fields share a few dozen)."""
    key = frozenset(kinds)
    return _INTERNED.setdefault(key, key)


def _weighted_sample(rng: random.Random, pool: dict[str, float], k: int) -> list[str]:
    keyed = sorted(pool, key=lambda i: -(rng.random() ** (1.0 / pool[i])))
    return keyed[:k]


class FormWriter:
    """Builds themes and forms for one catalog view and variation mix."""

    def __init__(self, view: CatalogView, mix: VariationMix, decoys: DecoyPool) -> None:
        self.view = view
        self.mix = mix
        self.decoys = decoys
        self.items = {it.id: it for it in view.full.items}
        self.roles = {r.id: r for r in view.full.roles}
        self.labels = LabelWriter(view, mix)
        domains = list(dict.fromkeys(it.domain for it in view.full.items))
        self.person_domains = [d for d in domains if d not in (*CORE_DOMAINS, *ORG_DOMAINS)]
        self.org_extra = [d for d in ORG_EXTRA_DOMAINS if d in domains]

    # ------------------------------------------------------------------ themes

    def theme(self, rng: random.Random) -> Theme:
        """A bundle's theme."""
        with_roles = rng.random() < self.mix.role
        if rng.random() < 0.3:
            domains = ("enterprise", *rng.sample(self.org_extra, rng.randint(0, 2)))
            roles = rng.sample(ORG_ROLES, rng.randint(1, 3)) if with_roles else []
            if with_roles and "legal_representative" not in roles and rng.random() < 0.6:
                roles.insert(0, "legal_representative")
            subject = "organization"
        else:
            domains = tuple(rng.sample(self.person_domains, rng.randint(1, 2)))
            roles = rng.sample(PERSON_ROLES, rng.randint(1, 2)) if with_roles else []
            for d in domains:
                roles.extend(r for r in DOMAIN_ROLES.get(d, ()) if with_roles and r not in roles)
            subject = "person"
        roles = [r for r in dict.fromkeys(roles) if r in self.roles]
        marked = with_roles and subject == "person" and rng.random() < 0.3
        return Theme(subject, tuple(domains), tuple(roles), marked)

    def _pool(self, theme: Theme, role: str | None, english: bool) -> dict[str, float]:
        """Candidate items with weights for the main subject (``role`` None) or a role."""
        weights = (
            ORG_WEIGHTS if theme.subject == "organization" and role is None else PERSON_WEIGHTS
        )
        allowed_domains = set(theme.domains) | set(CORE_DOMAINS)
        pool: dict[str, float] = {}
        for it in self.items.values():
            if it.domain not in allowed_domains:
                continue
            if role is None:
                if theme.subject == "organization":
                    if "organization" not in it.roles:
                        continue
                elif it.roles[0] not in PRIMARY_PERSON_ROLES:
                    continue
            elif role not in it.roles:
                continue
            w = weights.get(it.id, 1.0 if it.domain in CORE_DOMAINS else 2.0)
            if it.id in WESTERN_ITEMS:
                w = 2.0 if english else 0.15
            pool[it.id] = w
        return pool

    def default_role(self, item: CatalogItem, subject: str) -> str:
        """The role an unmarked field has: the organization on its own forms, else the first."""
        if subject == "organization" and "organization" in item.roles:
            return "organization"
        return item.roles[0]

    # ------------------------------------------------------------------ forms

    def _style(self, rng: random.Random) -> _FormStyle:
        m = self.mix
        english = rng.random() < m.english
        pinyin = not english and rng.random() < m.pinyin_key
        traditional = not english and not pinyin and rng.random() < m.traditional
        bilingual = (
            rng.randrange(4) if not english and not pinyin and rng.random() < m.mixed else None
        )
        shuffle = rng.random() < m.shuffle
        key_style = rng.choice(["f{n:02d}", "field_{n}", "col{n}", "q{n}"])
        if english:
            key_style = rng.choice(["snake", "camel", key_style])
        return _FormStyle(
            "en" if english else "zh", pinyin, traditional, bilingual, shuffle, key_style
        )

    def form(self, form_id: str, theme: Theme, rng: random.Random) -> tuple[Form, list[FieldSpec]]:
        """One form of a bundle, and the spec (with truth) of each of its fields."""
        style = self._style(rng)
        english = style.language == "en"
        specs: list[FieldSpec] = []
        taken: set[tuple[str, str]] = set()
        primary_pool = self._pool(theme, None, english)
        n_primary = rng.randint(5, 16) if theme.subject == "person" else rng.randint(7, 18)
        primary_marker = None
        if theme.marked_primary:
            primary_marker = self.labels.marker(self.roles["applicant"], style.language, rng)
        group = self._neutral_group(style, rng, 0)
        for item_id in _weighted_sample(rng, primary_pool, n_primary):
            item = self.items[item_id]
            role = self.default_role(item, theme.subject)
            marker = primary_marker if primary_marker and role == "applicant" else None
            self._add(specs, taken, item, role, marker, group, style, rng)
        roles = [r for r in theme.roles if rng.random() < 0.75] or list(theme.roles[:1])
        for b, role_id in enumerate(roles, start=1):
            role_model = self.roles[role_id]
            marker = self.labels.marker(role_model, style.language, rng, pinyin=style.pinyin)
            grp = self._role_group(role_model, marker, style, b)
            pool = self._pool(theme, role_id, english)
            for item_id in _weighted_sample(rng, pool, rng.randint(2, 6)):
                self._add(specs, taken, self.items[item_id], role_id, marker, grp, style, rng)
        self._add_decoys(specs, style, rng)
        if style.shuffle:
            rng.shuffle(specs)
        fields = self._fields(specs, style)
        form = Form(
            id=form_id,
            title=f"{form_id} {'application' if english else '申请表'}",
            subject="organization" if theme.subject == "organization" else "person",
            language=style.language,
            fields=tuple(fields),
        )
        return form, specs

    # ------------------------------------------------------------------ groups

    def _neutral_group(self, style: _FormStyle, rng: random.Random, n: int) -> tuple[Group, ...]:
        if rng.random() < 0.5:
            return ()
        label = rng.choice(NEUTRAL_GROUPS[style.language])
        return (Group(key=f"s{n}", label=self._finish_group_label(label, style)),)

    def _role_group(
        self, role: Role, marker: Marker, style: _FormStyle, n: int
    ) -> tuple[Group, ...]:
        repeating = role.id == "shareholder"
        if marker.group_label or marker.group_key:
            label = self._finish_group_label(marker.group_label, style)
            return (Group(key=marker.group_key or f"s{n}", label=label, repeating=repeating),)
        if repeating:
            return (Group(key=f"s{n}", label="", repeating=True),)
        return ()

    def _finish_group_label(self, label: str, style: _FormStyle) -> str:
        if style.pinyin:
            return ""
        if style.traditional:
            return to_traditional(label)
        return label

    # ------------------------------------------------------------------ fields

    def _add(
        self,
        specs: list[FieldSpec],
        taken: set[tuple[str, str]],
        item: CatalogItem,
        role: str,
        marker: Marker | None,
        group: tuple[Group, ...],
        style: _FormStyle,
        rng: random.Random,
    ) -> None:
        if (item.id, role) in taken:
            return
        taken.add((item.id, role))
        names: ItemNames = self.view.names[item.id]
        kinds = style.kinds()
        written = self.labels.write(
            names, marker, style.language, style.pinyin, style.bilingual, rng
        )
        kinds |= written.kinds
        label = written.label
        if label and rng.random() < self.mix.fullwidth_space:
            label = space_out(label, rng)
            kinds.add("fullwidth_space")
        if style.traditional:
            label = to_traditional(label)
        ftype, options = self._type(item, style.language, rng)
        specs.append(
            FieldSpec(
                label=label,
                key=written.key,
                key_text=written.key_text,
                type=ftype,
                options=options,
                group=group,
                item=item.id,
                role=role,
                cluster=f"{item.id}@{role}",
                kinds=_kinds(kinds),
                source=written.source,
                seen=written.seen and not (kinds & TEXT_KINDS),
                language=style.language,
            )
        )

    def _type(
        self, item: CatalogItem, language: str, rng: random.Random
    ) -> tuple[FieldType, tuple[Option, ...]]:
        t = item.type
        if t == "enum":
            code_list = self.view.code_list(item)
            if code_list is None:
                return "string", ()
            as_labels = rng.random() < 0.3
            options = []
            for c in code_list.codes:
                text = c.label_en or c.label_zh if language == "en" else c.label_zh
                options.append(Option(code=text) if as_labels else Option(code=c.code, label=text))
            return "enum", tuple(options)
        if t in ("date", "datetime") and rng.random() < 0.3:
            return "string", ()
        if t in ("integer", "number") and rng.random() < 0.2:
            return "string", ()
        return t, ()

    def _add_decoys(self, specs: list[FieldSpec], style: _FormStyle, rng: random.Random) -> None:
        if self.mix.decoy <= 0:
            return
        n = sum(rng.random() < self.mix.decoy for _ in range(len(specs)))
        other = (
            Group(key="other", label=self._finish_group_label(OTHER_GROUP[style.language], style)),
        )
        seen_concepts: set[str] = set()
        for _ in range(n):
            concept, label, ftype = self.decoys.draw(rng, style.language)
            key_text = label
            if concept in seen_concepts:
                continue
            seen_concepts.add(concept)
            kinds = style.kinds() | {"decoy"}
            key = ""
            if style.pinyin:
                key, label = self.labels.pinyin_of(label), ""
            else:
                if style.bilingual is not None:
                    en = self.decoys.english_of(concept)
                    if en:
                        label = self.labels.bilingual(label, en, style.bilingual)
                if rng.random() < self.mix.typo:
                    label = typo(label, rng)
                    kinds.add("typo")
                if rng.random() < self.mix.fullwidth_space:
                    label = space_out(label, rng)
                    kinds.add("fullwidth_space")
                if style.traditional:
                    label = to_traditional(label)
            group = other if rng.random() < 0.5 else ()
            at = rng.randrange(len(specs) + 1)
            specs.insert(
                at,
                FieldSpec(
                    label=label,
                    key=key,
                    key_text=key_text,
                    type=ftype,
                    options=(),
                    group=group,
                    item=None,
                    role=None,
                    cluster=concept,
                    kinds=_kinds(kinds),
                    source="decoy",
                    seen=False,
                    language=style.language,
                ),
            )

    def _fields(self, specs: list[FieldSpec], style: _FormStyle) -> list[Field]:
        fields: list[Field] = []
        used: set[str] = set()
        for n, s in enumerate(specs, start=1):
            key = s.key or self.labels.key_for(s.key_text, style.key_style, n)
            path_key, k = key, 2
            groups = "/".join(g.key for g in s.group)
            while f"{groups}/{path_key}" in used:
                path_key, k = f"{key}_{k}", k + 1
            used.add(f"{groups}/{path_key}")
            fields.append(
                Field(
                    key=path_key,
                    label=s.label,
                    type=s.type,
                    options=s.options,
                    group=s.group,
                    required=n % 3 != 0,
                )
            )
        return fields
