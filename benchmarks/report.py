"""Markdown tables of a suite result, and the refresh of the suite's part of the README."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["README_END", "README_START", "render_markdown", "update_readme"]

README_START = "<!-- benchmark-suite:start -->"
README_END = "<!-- benchmark-suite:end -->"


def _f(x: Any, digits: int = 3) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_f(c) for c in row) + " |" for row in rows]
    return lines


def _prf_row(name: str, d: dict[str, Any], extra: Any = "") -> list[Any]:
    return [name, d.get("fields", ""), d["precision"], d["recall"], d["f1"], extra]


def _targets(result: dict[str, Any]) -> list[str]:
    rows = [
        [
            t["target"],
            t["goal"],
            t["measured"],
            {True: "yes", False: "**no**", None: "–"}[t["met"]],
            t["note"],
        ]
        for t in result["targets"]
    ]
    return ["### Targets", "", *_table(["target", "goal", "measured", "met", "note"], rows)]


def _accuracy(result: dict[str, Any]) -> list[str]:
    acc = result["accuracy"]
    s = acc["summary"]
    exact = acc["exact_label_baseline"]
    rows = [
        _prf_row("(item, role), matched + review", {"fields": acc["fields"], **acc["overall"]}),
        _prf_row("(item, role), matched only", {"fields": acc["fields"], **acc["auto_only"]}),
        _prf_row("item only, matched + review", {"fields": acc["fields"], **acc["item_only"]}),
        _prf_row("labels that are catalog names", acc["seen_labels"]),
        _prf_row("labels that are not (held out, abbreviated, misspelt ...)", acc["unseen_labels"]),
        _prf_row(
            "same forms, full catalog (nothing held out)",
            {"fields": acc["fields"], **acc["full_catalog"]},
        ),
        _prf_row("exact-label baseline", {"fields": exact["fields"], **exact["mapping"]}),
    ]
    return [
        "### Mapping accuracy",
        "",
        f"{s['forms']:,} forms in {s['bundles']:,} bundles, {s['fields']:,} fields of which "
        f"{s['decoys']:,} decoys; {result['catalog']['held_out_aliases']:,} of "
        f"{result['catalog']['aliases']:,} catalog aliases held out of the matcher's catalog. "
        f"Sent to review: {acc['review_share']:.1%} of fields. "
        f"Mapping speed in this run: {acc['fields_per_second']:,.0f} fields/s.",
        "",
        *_table(["fields", "count", "precision", "recall", "F1", ""], rows),
    ]


def _kinds(result: dict[str, Any]) -> list[str]:
    per_kind = result["accuracy"]["per_kind"]
    iso = result["isolated"]
    rows = []
    for kind, entry in per_kind.items():
        alone = iso.get(kind, {})
        rows.append(
            [
                kind,
                entry["fields"],
                entry["f1"] if entry["fields"] and kind != "decoy" else None,
                alone.get("f1"),
                alone.get("review_share"),
                entry.get("decoys_kept_unmatched"),
                alone.get("decoys_kept_unmatched"),
            ]
        )
    return [
        "### Per kind of variation",
        "",
        "*In the mix*: fields of the default set that carry the kind (among others). *Alone*: a "
        f"set of {result['settings']['isolated_forms']:,} forms with only that kind switched on "
        "(every field or form carries it). *clean*: no variation at all.",
        "",
        *_table(
            ["kind", "fields in mix", "F1 in mix", "F1 alone", "review share alone",
             "decoys kept unmatched (mix)", "(alone)"],
            rows,
        ),
    ]  # fmt: skip


def _sources(result: dict[str, Any]) -> list[str]:
    rows = [_prf_row(k, v) for k, v in result["accuracy"]["per_source"].items()]
    return [
        "### Per label source",
        "",
        "canonical: the item's own name; seen_alias: an alias the matcher's catalog has; "
        "held_out_alias: an alias removed from it; abbreviation: shortened by the generator; "
        "bare_role: the role word alone (法定代表人) for the person's name.",
        "",
        *_table(["source", "fields", "precision", "recall", "F1", ""], rows),
    ]


def _calibration(result: dict[str, Any]) -> list[str]:
    cal = result["accuracy"]["calibration"]
    st = cal["by_status"]
    status_rows = [
        ["matched", st["matched"]["count"], st["matched"]["share"], st["matched"]["precision"], ""],
        ["review", st["review"]["count"], st["review"]["share"], st["review"]["precision"], ""],
        [
            "unmatched",
            st["unmatched"]["count"],
            st["unmatched"]["share"],
            "–",
            f"{st['unmatched']['decoys']:,} decoys, "
            f"{st['unmatched']['missed_catalogued']:,} missed "
            f"({st['unmatched']['top_candidate_right']:,} with the right item as top candidate)",
        ],
    ]
    bins = [
        [f"{b['from']:.2f}–{b['to']:.2f}", b["count"], b["top_item_right"]] for b in cal["bins"]
    ]
    best = cal["best_threshold"]
    return [
        "### Calibration",
        "",
        *_table(["status", "fields", "share", "precision of (item, role)", ""], status_rows),
        "",
        "Reliability: how often the top-scored item is the true one, per score band.",
        "",
        *_table(["score", "fields", "top item right"], bins),
        "",
        f"Threshold sweep (item level, accept every field whose top score reaches the threshold): "
        f"best F1 {best['f1']:.4f} at {best['threshold']:.2f} "
        f"(precision {best['precision']:.4f}, recall {best['recall']:.4f}).",
    ]


def _merge(result: dict[str, Any]) -> list[str]:
    m = result["merge"]
    rows = [
        ["all fields", m["pairwise"]["precision"], m["pairwise"]["recall"], m["pairwise"]["f1"]],
        [
            "catalogued fields only",
            m["pairwise_catalogued_only"]["precision"],
            m["pairwise_catalogued_only"]["recall"],
            m["pairwise_catalogued_only"]["f1"],
        ],
    ]
    return [
        "### Merging bundles",
        "",
        f"{m['bundles']:,} bundles of {m['forms_per_bundle']} forms and {m['fields_per_bundle']} "
        f"fields on average. Time to merge one bundle (matching included): median "
        f"{m['seconds_median'] * 1000:.0f} ms, 95th percentile {m['seconds_p95'] * 1000:.0f} ms, "
        f"max {m['seconds_max'] * 1000:.0f} ms. "
        "Pairs of fields from different forms merged together:",
        "",
        *_table(["pairs", "precision", "recall", "F1"], rows),
    ]


def _speed(result: dict[str, Any]) -> list[str]:
    rows = []
    for r in result["scaling"]:
        if "skipped" in r or "error" in r:
            rows.append(
                [r["forms"], "–", "–", "–", "–", "–", "–", r.get("skipped") or r.get("error")]
            )
            continue
        acc = r.get("accuracy", {}).get("overall", {})
        rows.append(
            [r["forms"], r["fields"], r["match_seconds"], r["fields_per_second"], r["peak_rss_mib"],
             r["peak_increase_mib"], r.get("growth_exponent"), acc.get("f1")]
        )  # fmt: skip
    lines = [
        "### Speed and memory",
        "",
        "Each size runs in a process of its own; peak is the resident-memory high-water mark "
        "during matching (forms included), +match what the match call added. Growth exponent: "
        "slope of log(time) over log(fields) from the previous size (1.0 = linear).",
        "",
        *_table(
            ["forms", "fields", "match s", "fields/s", "peak MiB", "+match MiB", "growth", "F1"],
            rows,
        ),
    ]
    q = result.get("quick", {})
    if "fields_per_second" in q:
        lines += [
            "",
            f"Throughput run: {q['fields']:,} fields ({q['forms']:,} forms) mapped in "
            f"{q['match_seconds']:.2f} s = {q['fields_per_second']:,.0f} fields/s, peak "
            f"{q['peak_rss_mib']:,.0f} MiB (+{q['peak_increase_mib']:,.0f} MiB during matching).",
        ]
    for r in result["scaling"]:
        c = r.get("clustering")
        if c:
            d = c.get("pairwise_decoys_only", {})
            lines += [
                "",
                f"Clustering the {c['fields']:,} fields left unmatched in {r['forms']:,} forms "
                f"(blocking on first/last character): {c['seconds']:.2f} s, {c['clusters']:,} "
                f"clusters of which {c['multi_form_clusters']:,} span forms; pairwise precision "
                f"{c['pairwise']['precision']:.3f}, recall {c['pairwise']['recall']:.3f} "
                f"(a missed catalogued field's truth is its item and role); among the "
                f"{c.get('decoy_fields', 0):,} decoys alone precision "
                f"{d.get('precision', 0):.3f}, recall {d.get('recall', 0):.3f}.",
            ]
    return lines


def _peers(result: dict[str, Any]) -> list[str]:
    p = result["peers"]
    rows = []
    for e in p["peers"]:
        fm = e.get("formmerge", {})
        rows.append(
            [
                e["name"],
                e["forms"],
                e["fields"],
                (e["mapping"] or {}).get("f1"),
                (e["item_only"] or {}).get("f1"),
                e["fields_per_second"],
                fm.get("mapping", {}).get("f1"),
                fm.get("fields_per_second"),
                e.get("throughput_ratio"),
                "; ".join(x for x in (e.get("note"), e.get("error")) if x),
            ]
        )
    lines = [
        "### Peers side by side",
        "",
        f"Valentine {p['valentine'] or 'not installed'}. Each peer runs in a fresh process and "
        "gets the first forms of the default set one at a time, within "
        f"{result['settings']['peer_budget']:.0f} s of matching; formmerge runs the same way "
        "(fresh process, one form per call) and is compared on exactly the forms each peer "
        "finished. Time counts the matching calls only. Peers cannot tell roles apart, so their "
        "role is the item's default; the item-only F1 compares on equal terms. Formmerge "
        "batched (a whole set per call, as the library is used) maps "
        f"{p.get('formmerge_batch_fields_per_second') or 0:,.0f} fields/s. Cupid is not run: "
        "it needs NLTK corpora (WordNet, punkt, stopwords) that are downloaded at run time and "
        "that no registry package provides.",
        "",
        *_table(
            ["matcher", "forms", "fields", "F1 (item, role)", "F1 item", "fields/s",
             "formmerge F1", "formmerge fields/s", "formmerge / peer speed", "note"],
            rows,
        ),
    ]  # fmt: skip
    if p.get("note"):
        lines += ["", p["note"]]
    return lines


def _machine(result: dict[str, Any]) -> list[str]:
    m = result["machine"]
    v = ", ".join(f"{k} {val}" for k, val in m["versions"].items() if val)
    phases = ", ".join(f"{k} {s:.0f} s" for k, s in result.get("phases", {}).items())
    return [
        "### Run",
        "",
        f"`{result['command']}` (seed {result['seed']}), {result['started']}: "
        f"{result['total_seconds'] / 60:.1f} min ({phases}).",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, "
        f"Python {m['python']}; {v}.",
    ]


def render_markdown(result: dict[str, Any]) -> str:
    """The whole result as Markdown sections."""
    sections = [
        _targets(result),
        _accuracy(result),
        _kinds(result),
        _sources(result),
        _calibration(result),
        _merge(result),
        _speed(result),
        _peers(result),
        _machine(result),
    ]
    return "\n\n".join("\n".join(s) for s in sections) + "\n"


def update_readme(path: Path, result: dict[str, Any]) -> None:
    """Replace the suite's part of the README (between the markers), keeping the rest."""
    block = f"{README_START}\n{render_markdown(result)}{README_END}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if README_START in text and README_END in text:
        head, rest = text.split(README_START, 1)
        _, tail = rest.split(README_END, 1)
        text = head + block + tail
    else:
        # a new section goes before the first other section, so the suite's figures lead
        at = text.find("\n## ")
        section = f"## Matching suite\n\n{block}\n"
        if at < 0:
            text = text.rstrip("\n") + "\n\n" + section
        else:
            text = text[: at + 1] + section + "\n" + text[at + 1 :]
    path.write_text(text, encoding="utf-8")
