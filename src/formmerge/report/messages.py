"""The words a report shows: column headers, metric names and interface text, in two languages.

Reports speak Chinese by default (:data:`DEFAULT_LANGUAGE`); ``en`` gives English words. The
DataFrames keep their identifier column names (``fields_before``) as the API; only what a reader
sees (HTML, Markdown, XLSX, CSV headers, the terminal table) goes through :func:`header`,
:func:`metric_name` and :func:`text`. Every identifier has a word in both languages; a test
checks that no table column is left without one.
"""

from __future__ import annotations

from typing import Literal

from formmerge.errors import FormmergeError, Problem

__all__ = [
    "DEFAULT_LANGUAGE",
    "HEADERS",
    "LANGUAGES",
    "METRIC_NAMES",
    "TEXTS",
    "Language",
    "check_language",
    "cohort_label",
    "header",
    "metric_name",
    "text",
    "yes_no",
]

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
DEFAULT_LANGUAGE: Language = "zh"
"""Reports are for analysts of Chinese government services: Chinese unless asked otherwise."""

# identifier: (Chinese, English)
HEADERS: dict[str, tuple[str, str]] = {
    # summary
    "metric": ("指标", "Metric"),
    "description": ("说明", "Description"),
    "before": ("整合前", "Before"),
    "after_merge": ("合并后", "After merge"),
    "after_prefill": ("预填后", "After prefill"),
    "after": ("整合后", "After"),
    "change": ("变化", "Change"),
    "change_pct": ("变化率", "Change %"),
    "note": ("解读", "How to read it"),
    # groups
    "department": ("部门", "Department"),
    "forms": ("表单数", "Forms"),
    "fields_before": ("字段（整合前）", "Fields before"),
    "fields_after_merge": ("部门仍收到的字段", "Fields the department still receives"),
    "fields_shared": ("其中与其他表单共用", "Of which shared with other forms"),
    "fields_typed": ("其中申请人仍需填写", "Of which the applicant still types"),
    "fields_typed_own": (
        "其中仅为本部门填写",
        "Of which typed for this department only",
    ),
    "fields_change_pct": ("填写字段变化率", "Typed fields change %"),
    "materials_before": ("材料（整合前）", "Materials before"),
    "materials_after_merge": ("合并后材料", "Materials after merge"),
    "materials_eliminated": ("免提交材料", "Materials eliminated"),
    "materials_after_prefill": ("仍需提交材料", "Materials still handed in"),
    "materials_change_pct": ("材料变化率", "Materials change %"),
    "steps_before": ("环节（整合前）", "Steps before"),
    "trips_before": ("跑动（整合前）", "Trips before"),
    "days_before": ("时限天数（整合前）", "Days before"),
    "form": ("表单", "Form"),
    "title": ("名称", "Title"),
    "matter": ("事项", "Matter"),
    "fields_catalogued": ("已入目录字段", "Fields catalogued"),
    "fields_review": ("待复核字段", "Fields for review"),
    "fields_uncatalogued": ("未入目录字段", "Fields not catalogued"),
    "on_critical_path": ("在关键路径上", "On the critical path"),
    # fields
    "path": ("字段路径", "Field path"),
    "label": ("标签", "Label"),
    "type": ("类型", "Type"),
    "item": ("目录数据项", "Catalog item"),
    "role": ("角色", "Role"),
    "status": ("匹配状态", "Match status"),
    "merged_into": ("合并为", "Merged into"),
    "shared": ("共用", "Shared"),
    "prefilled": ("已预填", "Prefilled"),
    "prefill_sources": ("预填来源", "Prefill sources"),
    "typed": ("需填写", "Typed"),
    "derived": ("由其他答案推导", "Derived from another answer"),
    # materials
    "name": ("材料名称", "Name"),
    "kind": ("形式", "Kind"),
    "required": ("必交", "Required"),
    "material_type": ("材料类型", "Material type"),
    "e_licence": ("有电子证照", "Electronic licence"),
    "merged_name": ("合并后名称", "Merged name"),
    "evidences": ("证明的数据项", "Evidences"),
    "holders": ("持证人", "Holders"),
    "eliminated": ("免提交", "Eliminated"),
    "eliminated_by": ("免提交依据", "Eliminated by"),
    "not_covered": ("无来源的数据项", "Not covered"),
    # portfolio
    "bundle": ("事项组合", "Bundle"),
    "departments": ("部门数", "Departments"),
    "fields_after_prefill": ("预填后填写字段", "Fields after prefill"),
    "steps_after": ("环节（整合后）", "Steps after"),
    "steps_change_pct": ("环节变化率", "Steps change %"),
    "trips_after": ("跑动（整合后）", "Trips after"),
    "trips_change_pct": ("跑动变化率", "Trips change %"),
    "days_after": ("时限天数（整合后）", "Days after"),
    "days_change_pct": ("时限变化率", "Days change %"),
    "days_critical_path": ("关键路径天数", "Critical path days"),
    "label_en": ("英文标签", "English label"),
    "fields": ("字段", "Fields"),
    "roles": ("角色", "Roles"),
    "labels": ("各表单标签", "Labels"),
    "material": ("材料", "Material"),
    "asked": ("被要求次数", "Asked"),
    "bundles": ("事项组合数", "Bundles"),
    # cohort
    "subjects": ("对象数", "Subjects"),
    "subject": ("对象", "Subject"),
    "statistic": ("统计量", "Statistic"),
    "value": ("数值", "Value"),
    "fields_typed_min": ("最少", "Minimum"),
    "typed_fields": ("需填写字段数", "Typed fields"),
    "prefilled_fields": ("已预填字段数", "Prefilled fields"),
    "bin": ("区间", "Range"),
    "field": ("字段", "Field"),
    "prefilled_pct": ("预填比例（%）", "Prefilled %"),
    "count": ("对象数", "Subjects"),
    # workbook contents
    "sheet": ("工作表", "Sheet"),
    "table": ("表", "Table"),
    "rows": ("行数", "Rows"),
}
"""Column identifier to its header in each language."""

METRIC_NAMES: dict[str, tuple[str, str]] = {
    "applications": ("申请数", "Applications"),
    "fields": ("填写字段", "Fields typed"),
    "materials": ("提交材料", "Materials"),
    "steps": ("办理环节", "Steps"),
    "trips": ("跑动次数", "Trips"),
    "days": ("办理时限（承诺，工作日）", "Days (declared)"),
    "days_critical_path": ("关键路径时限（工作日）", "Days along the critical path"),
}
"""Summary metric identifier to its name in each language."""

TEXTS: dict[str, tuple[str, str]] = {
    "report": ("减材料、减环节、减时限报告", "Reduction report"),
    "portfolio": ("事项组合总览", "Portfolio"),
    "bundles_count": ("{n} 个事项组合", "{n} bundles"),
    "intro": (
        "formmerge 生成于 {date}。整合前：各事项分别办理之和；整合后：一次申请。"
        "各指标定义见 docs/report.md。",
        "formmerge reduction report, {date}. Before: the separate matters added up; after: "
        "the one application. Definitions: docs/report.md.",
    ),
    "bundle_meta": ("事项组合 {id}；{basis}", "Bundle {id}; {basis}"),
    "basis_prefill": (
        "预填依据：一个对象的实际预填结果",
        "prefill basis: one subject's prefill result",
    ),
    "basis_static": (
        "预填依据：数据源配置 {name}（静态估计：数据源持有该数据项即计为预填）",
        "prefill basis: source configuration {name} (static estimate: a field counts as "
        "prefilled when a source holds its item)",
    ),
    "basis_demo": (
        "预填依据：formmerge 自带的演示数据源配置（未指定 --sources，数值不代表真实登记库）",
        "prefill basis: the demo source configuration shipped with formmerge (no --sources "
        "given; the figures do not describe real registers)",
    ),
    "summary": ("汇总", "Summary"),
    "by_department": ("按部门", "By department"),
    "by_form": ("按表单", "By form"),
    "materials_details": ("材料明细：表单共要求 {n} 份", "Materials: {n} asked by the forms"),
    "fields_details": ("字段明细：表单共 {n} 个字段", "Fields: {n} on the forms"),
    "bundles": ("各事项组合", "Bundles"),
    "item_reuse": ("复用最多的目录数据项", "Most reused catalog items"),
    "recurring_gaps": ("反复出现的未入目录字段（目录候选）", "Recurring uncatalogued fields"),
    "eliminated_materials": ("最常免提交的材料", "Most often eliminated materials"),
    "footer": (
        "由 formmerge 生成。每个数字都是上方材料表和字段表的计数。",
        "Generated by formmerge. Every figure is a count over the materials and fields tables.",
    ),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "chart_fields_department": ("各部门字段", "Fields per department"),
    "chart_materials_department": ("各部门材料", "Materials per department"),
    "chart_per_bundle": ("各事项组合：{metric}", "{metric} per bundle"),
    "typed_after_prefill": ("预填后仍需填写", "typed after prefill"),
    "after_elimination": ("免提交后", "after elimination"),
    "department_note": (
        "合并不减少部门收到的数据：每个部门仍收到它的全部字段，所以“部门仍收到的字段”"
        "常与“字段（整合前）”相同。减少的是申请人的填写：多个部门共用的字段只填一次，"
        "数据源持有的字段由预填给出。“其中仅为本部门填写”是申请人只为该部门填写的字段。",
        "Merging does not reduce what a department receives: each department still receives "
        "all its fields, so 'fields the department still receives' often equals 'fields before'. "
        "What falls is what the applicant types: a field several departments ask is typed "
        "once, and fields a source holds are prefilled. 'Typed for this department only' "
        "counts the fields the applicant types for this department alone.",
    ),
    "note_days_over": (
        "关键路径 {critical:g} 天高于承诺的 {declared:g} 天：关键路径按各部门现有时限计算"
        "（有先后依赖的串联，其余并行），承诺时限要兑现，部门必须压缩自身办理时间。",
        "The critical path ({critical:g} days) exceeds the declared {declared:g} days: it "
        "chains the departments' own time limits (dependent forms in sequence, the rest in "
        "parallel), so keeping the promise needs the departments to shorten their own work.",
    ),
    "note_days_under": (
        "关键路径 {critical:g} 天不高于承诺的 {declared:g} 天："
        "各部门按现有时限并行办理即可兑现承诺。",
        "The critical path ({critical:g} days) is within the declared {declared:g} days: the "
        "departments keep the promise acting in parallel on their own time limits.",
    ),
    "note_days": (
        "承诺时限：整合方案对外公布的天数；与关键路径对照见下一行。",
        "Declared days: what the integrated process promises; the next row compares it with "
        "the critical path.",
    ),
    "note_fields": (
        "合并后：去重后的字段；预填后：申请人仍需填写的字段（{basis_short}）。",
        "After merge: distinct fields; after prefill: the fields the applicant still types "
        "({basis_short}).",
    ),
    "note_materials": (
        "合并后：去重后的材料；预填后：数据源或本组合其他表单无法替代、仍需提交的材料。",
        "After merge: distinct documents; after prefill: documents no source or other form of "
        "the bundle replaces.",
    ),
    "static_short": ("静态估计", "static estimate"),
    "prefill_short": ("单一对象的实际预填", "one subject's prefill"),
    "cohort": ("群体预填：{name}", "Cohort prefill: {name}"),
    "cohort_meta": (
        "对 {n} 个对象批量预填（{sources}），每个对象仍需填写的字段数分布；"
        "静态估计为 {static:g} 个。",
        "Batch prefill of {n} subjects ({sources}): the distribution of the fields each "
        "subject still types; the static estimate is {static:g}.",
    ),
    "cohort_statistics": ("分布统计", "Distribution"),
    "cohort_histogram": ("每个对象需填写的字段数", "Typed fields per subject"),
    "cohort_subjects": ("各对象（前 {n} 个）", "Subjects (first {n})"),
    "stat_subjects": ("对象数", "subjects"),
    "stat_median": ("中位数", "median"),
    "stat_p10": ("第 10 百分位", "10th percentile"),
    "stat_p90": ("第 90 百分位", "90th percentile"),
    "stat_mean": ("平均数", "mean"),
    "stat_min": ("最少", "minimum"),
    "stat_max": ("最多", "maximum"),
    "stat_static": ("静态估计", "static estimate"),
    "stat_after_merge": ("合并后字段（不预填）", "fields after merge (no prefill)"),
    "wrote": ("已写出 {path}", "wrote {path}"),
    "cohort_newborn_mothers": ("新生儿母亲", "mothers of newborns"),
    "cohort_newborn_fathers": ("新生儿父亲", "fathers of newborns"),
    "cohort_married_persons": ("在婚人员", "married persons"),
    "cohort_persons": ("全部在册人口", "all registered persons"),
    "cohort_enterprises": ("存续企业", "operating enterprises"),
}
"""Interface text by key, as ``str.format`` templates."""


def check_language(lang: str) -> Language:
    """``lang`` if it is one of :data:`LANGUAGES`.

    Raises:
        FormmergeError: ``unknown-language`` otherwise.
    """
    if lang in LANGUAGES:
        return lang
    raise FormmergeError(
        f"no report language {lang!r}",
        [Problem("unknown-language", f"choose one of {', '.join(LANGUAGES)}")],
    )


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def header(column: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The header of column ``column`` (the identifier itself if it has none)."""
    pair = HEADERS.get(column)
    return _pick(pair, lang) if pair else column


def metric_name(metric: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The name of summary metric ``metric``."""
    pair = METRIC_NAMES.get(metric)
    return _pick(pair, lang) if pair else metric


def text(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """Interface text ``key`` with ``values`` filled in."""
    return _pick(TEXTS[key], lang).format(**values)


def cohort_label(cohort: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A named cohort's name in ``lang`` (a file's name as it is)."""
    key = f"cohort_{cohort}"
    return text(key, lang) if key in TEXTS else cohort


def yes_no(value: bool, lang: str = DEFAULT_LANGUAGE) -> str:
    """``是``/``否`` (or ``yes``/``no``)."""
    return text("yes" if value else "no", lang)
