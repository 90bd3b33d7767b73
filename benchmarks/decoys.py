"""Form-specific fields that no shared data item covers: they must stay unmatched.

Two sorts, as real forms have them:

- **recurring** questions that many departments ask but that are not shared data (remarks,
  the service outlet, consent to text messages, the reason for a change). They recur across
  the forms of a bundle in a few spellings and should be merged with one another as a catalog
  gap, but never with a catalog item.
- **one-off** questions about the matter itself (``林木采伐面积``, ``Project Narrative``),
  built from a topic and a noun; fields with the same topic and noun mean the same thing.

Labels that happen to be a name of a catalog item (with or without a leading role word) are
dropped by :func:`decoy_pool`, so a decoy is never secretly a catalog field.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from formmerge.catalog import alias_key
from formmerge.models import Catalog, FieldType

__all__ = ["Decoy", "DecoyPool", "decoy_pool"]


@dataclass(frozen=True)
class Decoy:
    """One decoy concept: its id, its value type and its spellings per language."""

    concept: str
    type: FieldType
    zh: tuple[str, ...]
    en: tuple[str, ...]


_RECURRING: tuple[Decoy, ...] = (
    Decoy("remarks", "string", ("备注", "备注说明", "备注信息"), ("Remarks", "Comments", "Notes")),
    Decoy(
        "matter_note", "string", ("申请事项说明", "申请事项简要说明"), ("Description of Request",)
    ),
    Decoy("reason", "string", ("申请理由", "申请原因"), ("Reason for Application",)),
    Decoy(
        "sms_consent",
        "boolean",
        ("是否同意短信通知", "是否同意接收短信通知", "是否接收短信提醒"),
        ("I agree to receive SMS notifications", "SMS Notification Consent"),
    ),
    Decoy(
        "outlet",
        "string",
        ("办理网点", "受理网点", "预约办理网点"),
        ("Service Centre", "Service Center"),
    ),
    Decoy("pickup", "string", ("证件领取方式", "结果领取方式", "领取方式"), ("Delivery Method",)),
    Decoy(
        "apply_date", "date", ("申请日期", "填表日期"), ("Date of Application", "Application Date")
    ),
    Decoy("signature", "string", ("申请人签名", "申请人（签字）"), ("Signature of Applicant",)),
    Decoy(
        "serial",
        "string",
        ("申请编号", "业务流水号", "办件编号"),
        ("Application ID", "Tracking Number"),
    ),
    Decoy("urgent", "boolean", ("是否加急", "是否加急办理"), ("Expedited Processing",)),
    Decoy("copies", "integer", ("申领份数", "申请份数"), ("Number of Copies",)),
    Decoy(
        "promise",
        "boolean",
        ("本人承诺以上信息真实有效", "承诺书"),
        ("Certification Agree", "I certify"),
    ),
    Decoy(
        "attachments",
        "string",
        ("附件清单", "材料清单", "随附材料"),
        ("Attachments", "List of Attachments"),
    ),
    Decoy("change_items", "string", ("变更事项", "变更内容"), ("Items to Change",)),
    Decoy("captcha", "string", ("验证码", "短信验证码"), ("Verification Code",)),
    Decoy("handling_mode", "string", ("办理方式", "申办方式"), ("Submission Type",)),
    Decoy(
        "project_title",
        "string",
        ("项目名称", "申报项目名称"),
        ("Project Title", "Descriptive Title"),
    ),
    Decoy(
        "funding",
        "number",
        ("申请金额（万元）", "申请资金数额"),
        ("Federal Estimated Funding", "Amount Requested"),
    ),
    Decoy("start_date", "date", ("项目开工日期", "计划开工日期"), ("Project Start Date",)),
    Decoy("opinion", "string", ("受理意见", "初审意见"), ("Reviewer Comments",)),
)

_ZH_TOPICS = (
    "林木采伐", "户外广告", "道路占用", "建设工程", "排污", "取水", "畜禽养殖", "食品经营",
    "烟花爆竹", "文物修缮", "渔业捕捞", "房屋拆除", "农机购置", "危险化学品", "供热", "人防工程",
    "景区", "民宿", "药品零售", "网吧", "校外培训", "河道采砂", "草原征占", "临时用地",
)  # fmt: skip
_ZH_NOUNS: tuple[tuple[str, FieldType], ...] = (
    ("规模", "string"), ("面积（平方米）", "number"), ("地点", "string"), ("期限", "string"),
    ("用途", "string"), ("情况说明", "string"), ("数量", "integer"), ("类别", "string"),
    ("实施方案", "string"), ("起止时间", "string"), ("许可范围", "string"),
    ("投资额（万元）", "number"),
)  # fmt: skip
_EN_TOPICS = (
    "Project", "Program", "Award", "Facility", "Site", "Equipment", "Research", "Training",
    "Outreach", "Construction", "Fishery", "Harvest",
)  # fmt: skip
_EN_NOUNS: tuple[tuple[str, FieldType], ...] = (
    ("Narrative", "string"), ("Budget Justification", "string"), ("End Date", "date"),
    ("Location", "string"), ("Objectives", "string"), ("Period", "string"),
    ("Amount", "number"), ("Summary", "string"), ("Scope", "string"),
    ("Performance Site", "string"),
)  # fmt: skip


@dataclass(frozen=True)
class DecoyPool:
    """Decoys filtered against one catalog; :meth:`draw` picks one."""

    recurring: tuple[Decoy, ...]
    zh_one_off: tuple[tuple[str, str, FieldType], ...]
    """(concept, label, type) for Chinese one-off questions."""
    en_one_off: tuple[tuple[str, str, FieldType], ...]
    recurring_share: float = 0.7

    def draw(self, rng: random.Random, language: str) -> tuple[str, str, FieldType]:
        """(concept, label, type) of one decoy in ``language`` (``zh`` or ``en``)."""
        if rng.random() < self.recurring_share:
            choices = [d for d in self.recurring if (d.zh if language == "zh" else d.en)]
            d = rng.choice(choices)
            return (f"gap:{d.concept}", rng.choice(d.zh if language == "zh" else d.en), d.type)
        concept, label, ftype = rng.choice(self.zh_one_off if language == "zh" else self.en_one_off)
        return (concept, label, ftype)

    def english_of(self, concept: str) -> str | None:
        """An English spelling of a recurring concept, for bilingual labels."""
        for d in self.recurring:
            if f"gap:{d.concept}" == concept and d.en:
                return d.en[0]
        return None


def _catalog_names(catalog: Catalog) -> set[str]:
    names: set[str] = set()
    for it in catalog.items:
        for n in (it.label_zh, it.label_en, *it.aliases, *it.shared_aliases):
            names.add(alias_key(n))
    return names


def _role_words(catalog: Catalog) -> list[str]:
    words = {alias_key(w) for r in catalog.roles for w in (*r.words_zh, *r.words_en)}
    return sorted((w for w in words if w), key=len, reverse=True)


def _is_catalog_name(label: str, names: set[str], role_words: list[str]) -> bool:
    key = alias_key(label)
    if key in names:
        return True
    return any(key.startswith(w) and key[len(w) :] in names for w in role_words)


def decoy_pool(catalog: Catalog) -> DecoyPool:
    """The decoys whose labels are not names of any catalog item."""
    names, words = _catalog_names(catalog), _role_words(catalog)

    def keep(labels: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(x for x in labels if not _is_catalog_name(x, names, words))

    recurring = []
    for d in _RECURRING:
        zh, en = keep(d.zh), keep(d.en)
        if zh or en:
            recurring.append(Decoy(d.concept, d.type, zh, en))
    zh_one_off = [(f"gap:{t}:{n}", f"{t}{n}", ft) for t in _ZH_TOPICS for n, ft in _ZH_NOUNS]
    en_one_off = [(f"gap:{t}:{n}", f"{t} {n}", ft) for t in _EN_TOPICS for n, ft in _EN_NOUNS]
    return DecoyPool(
        recurring=tuple(recurring),
        zh_one_off=tuple(x for x in zh_one_off if keep((x[1],))),
        en_one_off=tuple(x for x in en_one_off if keep((x[1],))),
    )
