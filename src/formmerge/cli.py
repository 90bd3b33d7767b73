"""The ``formmerge`` command line.

Every subcommand is a thin layer over the Python API: it parses arguments, calls one verb and
prints the result with :mod:`rich`. A :class:`~formmerge.errors.FormmergeError` is printed as a
message naming the place to fix (exit code 2), never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from formmerge.errors import FormmergeError
from formmerge.report.command import register_report_command

if TYPE_CHECKING:
    from formmerge.bundle import Bundle
    from formmerge.decisions import Decisions
    from formmerge.errors import Problem
    from formmerge.models import Catalog, FieldMatch, Form, MergedForm
    from formmerge.review import ReviewQueue

__all__ = ["main"]

console = Console()

DEFAULT_DECISIONS_FILE = "decisions.yaml"
"""Where ``formmerge review`` records decisions when neither a file nor a bundle names one."""

STRICT_HELP = "refuse forms the reader read leniently (every warning note becomes an error)"

Handler = Callable[[argparse.Namespace], int]


# ------------------------------------------------------------------------------- catalog


def _cmd_catalog(args: argparse.Namespace) -> int:
    from formmerge.catalog import load_catalog, search_catalog

    if args.action == "learn":
        return _cmd_catalog_learn(args)
    catalog = load_catalog(args.catalog)
    if args.show:
        item = catalog.item(args.show)
        table = Table(title=f"{item.id}: {item.label_zh} / {item.label_en}", show_header=False)
        for key, value in item.to_dict().items():
            table.add_row(key, ", ".join(value) if isinstance(value, list) else str(value))
        console.print(table)
        return 0
    items = search_catalog(catalog, args.search) if args.search else list(catalog.items)
    table = Table(title=f"{len(items)} of {len(catalog.items)} catalog items")
    table.add_column("id", no_wrap=True)
    for col in ("domain", "中文", "English", "type", "roles", "aliases"):
        table.add_column(col)
    for it in items:
        table.add_row(
            it.id,
            it.domain,
            it.label_zh,
            it.label_en,
            it.type,
            ",".join(it.roles),
            str(len(it.aliases)),
        )
    console.print(table)
    return 0


def _cmd_catalog_learn(args: argparse.Namespace) -> int:
    from formmerge.catalog import load_catalog
    from formmerge.catalog_learning import (
        CatalogPatch,
        apply_catalog_patch,
        learn_catalog,
        learning_source,
    )

    catalog = load_catalog(args.catalog)
    if args.patch:
        patch = CatalogPatch.from_file(args.patch)
    else:
        if not args.files:
            console.print("[red]error:[/red] give decisions files to learn from (or --patch)")
            return 2
        forms = _forms_of(args.forms) if args.forms else []
        sources = [learning_source(path, forms) for path in args.files]
        patch = learn_catalog(sources, catalog, min_count=args.min_count)
        console.print(escape(patch.diff(catalog)) or "nothing to learn")
        if args.output:
            patch.save(args.output)
            console.print(f"wrote {args.output}: {len(patch.proposals)} proposals")
    if args.apply:
        apply_catalog_patch(patch, args.apply, args.catalog)
        items = sum(1 for e in patch.equivalences if e.item)
        console.print(
            f"wrote the catalog with {len(patch.proposals)} proposals and {items} new item(s) "
            f"to {args.apply}"
        )
    return 0


def _cmd_inspect(args: argparse.Namespace) -> int:
    from formmerge.ingest import load_form

    form = load_form(args.form, strict=args.strict)
    table = Table(title=f"{form.id}: {form.title} ({form.department}) - {len(form.fields)} fields")
    for col in ("path", "label", "group", "type", "req", "constraints", "options"):
        table.add_column(col)
    for f in form.fields:
        constraints = [
            f"{k}={v}"
            for k, v in (
                ("max", f.max_length),
                ("pattern", f.pattern),
                ("format", f.format),
                ("date", f.date_format),
            )
            if v
        ]
        options = ", ".join(
            f"{o.code}={o.label}" if o.label != o.code else o.code for o in f.options
        )
        group = " > ".join(
            (g.label or g.key) + (" (repeating)" if g.repeating else "") for g in f.group
        )
        req = "*" if f.required else ""
        table.add_row(f.path, f.label, group, f.type, req, " ".join(constraints), options)
    console.print(table)
    for note in form.notes:
        where = f"line {note.line}, " if note.line else ""
        text = escape(f"{where}{note.pointer}: {note.message} [{note.code}]")
        console.print(f"  [yellow]{note.severity}[/yellow] {text}")
    return 0


# ------------------------------------------------------------------------------- merge


def _matches_table(matches: Sequence[FieldMatch], title: str) -> Table:
    from formmerge.matching import deciding_reason

    table = Table(title=title)
    for col in ("form", "field", "label", "item@role", "score", "candidates", "why"):
        table.add_column(col)
    for m in matches:
        target = f"{m.item}@{m.role}" if m.item else "-"
        candidates = ", ".join(f"{c.item} {c.score:.2f}" for c in m.candidates)
        table.add_row(
            m.form, m.path, m.label, target, f"{m.score:.2f}", candidates, deciding_reason(m)
        )
    return table


def _open_roles(matches: Sequence[FieldMatch]) -> list[FieldMatch]:
    """Matched fields of people without a standard role: an analyst may map them."""
    from formmerge.role_nouns import is_open_role

    return [m for m in matches if m.status == "matched" and is_open_role(m.role)]


def _print_summary(merged: MergedForm) -> None:
    before = sum(len(f.fields) for f in merged.forms)
    after = len(merged.fields)
    review = [m for m in merged.matches if m.status == "review"]
    console.print(
        f"[bold]{len(merged.forms)} forms, {before} fields -> {after} merged fields "
        f"({(after - before) / before:+.0%})[/bold]; "
        f"{len(review)} to review, {len(merged.conflicts)} conflicts, "
        f"{len(merged.gaps)} catalog gaps"
    )
    for c in merged.conflicts:
        console.print(f"  [red]conflict[/red] {c.field}: {c.message} [{c.code}]")
    for g in merged.gaps:
        console.print(f"  [yellow]gap[/yellow] {g.label!r} asked by {g.forms} forms ({g.field})")
    if review:
        console.print(_matches_table(review, "review queue"))
    open_roles = _open_roles(merged.matches)
    if open_roles:
        title = "open roles (map one to a standard role under `roles:` in the decisions file)"
        console.print(_matches_table(open_roles, title))


def _forms_of(paths: Sequence[str], strict: bool = False) -> list[Form]:
    """Forms from form files and bundle directories, in the order given; with ``strict``,
    forms with warning notes are refused.

    Raises:
        FormError: a directory that is no bundle holds no form files.
    """

    from formmerge.bundle import BUNDLE_FILE, load_bundle
    from formmerge.errors import FormError, Location
    from formmerge.ingest import load_forms, refuse_warnings
    from formmerge.problem_codes import problem

    forms: list[Form] = []
    for p in paths:
        if (Path(p) / BUNDLE_FILE).exists():
            forms.extend(load_bundle(p).forms)
            continue
        loaded = load_forms([p])
        if not loaded and Path(p).is_dir():
            message = f"the directory holds no form files, and no {BUNDLE_FILE} to name them"
            raise FormError(f"no forms in {p}", [problem("no-forms", message, Location(file=p))])
        forms.extend(loaded)
    if strict:
        refuse_warnings(forms)
    return forms


def _require_fields(forms: Sequence[Form]) -> None:
    """Raise :class:`FormError` if the forms have no fields between them: nothing to merge."""
    from formmerge.errors import FormError, Location
    from formmerge.problem_codes import problem

    if any(form.fields for form in forms):
        return
    problems = [
        problem(
            "no-fields",
            "the form has no fields; there is nothing to merge",
            Location(file=form.source_file, form=form.id),
        )
        for form in forms
    ]
    raise FormError("the forms have no fields to merge", problems)


def _shipped_decisions(paths: Sequence[str]) -> Path | None:
    """The decisions file a single bundle directory among ``paths`` ships, if any."""
    from formmerge.decisions import BUNDLE_DECISIONS

    shipped = [Path(p) / BUNDLE_DECISIONS for p in paths if Path(p).is_dir()]
    shipped = [p for p in shipped if p.exists()]
    return shipped[0] if len(shipped) == 1 else None


def _decisions_for(args: argparse.Namespace) -> Decisions | None:
    """The decisions file given, or the one a single bundle directory ships."""
    from formmerge.decisions import load_decisions

    if args.decisions:
        return load_decisions(args.decisions)
    shipped = _shipped_decisions(args.forms)
    if shipped is not None:
        console.print(f"using the bundle's decisions: {shipped}")
        return load_decisions(shipped)
    return None


def _cmd_merge(args: argparse.Namespace) -> int:
    from formmerge.bundle import BUNDLE_FILE, load_bundle
    from formmerge.export import merged_to_json_schema
    from formmerge.merging import merge
    from formmerge.review import check_decision_targets

    forms = _forms_of(args.forms, args.strict)
    _require_fields(forms)
    binding = _binding_of(args)
    bundles = [Path(p) for p in args.forms if (Path(p) / BUNDLE_FILE).is_file()]
    # role identities are a bundle's: bind only when one bundle directory is merged
    identities = load_bundle(bundles[0]).identities if binding and len(bundles) == 1 else {}
    decisions = _decisions_for(args)
    if decisions is not None:
        check_decision_targets(decisions, forms)
    merged = merge(forms, decisions=decisions, identities=identities, binding=binding)
    _print_summary(merged)
    if args.output:
        data = merged.to_dict() if not args.json_schema else merged_to_json_schema(merged)
        Path(args.output).write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
        console.print(f"wrote {args.output}")
    return 0


def _review_decisions_path(args: argparse.Namespace) -> Path:
    """Where review reads and records decisions: ``--decisions``, else the bundle's own file,
    else ``decisions.yaml`` in the working directory."""
    if args.decisions:
        return Path(args.decisions)
    shipped = _shipped_decisions(args.forms)
    if shipped is not None:
        console.print(f"using the bundle's decisions: {shipped}")
        return shipped
    return Path(DEFAULT_DECISIONS_FILE)


def _record_flag_decision(args: argparse.Namespace, path: Path) -> int:
    from formmerge.catalog import load_catalog
    from formmerge.decisions import Decision, load_decisions

    decisions = load_decisions(path, missing_ok=True)  # recording creates the file
    target = args.confirm or args.reject
    item, _, role = target.partition("@")
    form, _, field_path = (args.field or "").partition(":")
    decision = Decision(
        form=form or None,
        field=field_path or None,
        label=args.label,
        item=item,
        role=role or None,
        status="confirmed" if args.confirm else "rejected",
        note=args.note or "",
    )
    decisions = decisions.record(decision)
    decisions.check_against(load_catalog())
    decisions.save(path)
    console.print(f"recorded {decision.status} {target} in {path}")
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    from formmerge.catalog import load_catalog
    from formmerge.decisions import load_decisions
    from formmerge.matching import match
    from formmerge.review import review_queue
    from formmerge.review_interactive import review_table
    from formmerge.review_workbook import apply_review_workbook, write_review_workbook

    path = _review_decisions_path(args)
    if args.confirm or args.reject:
        return _record_flag_decision(args, path)
    if args.apply:
        forms = _forms_of(args.forms) if args.forms else None
        catalog = load_catalog(args.catalog)
        decisions = apply_review_workbook(args.apply, path, forms=forms, catalog=catalog)
        console.print(f"applied {args.apply}: {len(decisions)} decisions in {path}")
        return 0
    if not args.forms:
        console.print("[red]error:[/red] give forms or bundle directories to review")
        return 2
    forms = _forms_of(args.forms)
    decisions = load_decisions(path, missing_ok=True)
    catalog = load_catalog(args.catalog)
    queue = review_queue(forms, catalog, decisions=decisions)
    if args.interactive:
        return _interactive(queue, decisions, path, catalog)
    console.print(review_table(queue))
    if args.xlsx:
        write_review_workbook(queue, args.xlsx, catalog)
        console.print(f"wrote {args.xlsx}: {len(queue.entries)} fields to decide")
    open_roles = _open_roles(match(forms, catalog, decisions=decisions))
    if open_roles:
        title = "open roles (map one to a standard role under `roles:` in the decisions file)"
        console.print(_matches_table(open_roles, title))
    return 0


def _interactive(queue: ReviewQueue, decisions: Decisions, path: Path, catalog: Catalog) -> int:
    from formmerge.review_interactive import interactive_review

    decided = interactive_review(queue, console, catalog)
    for decision in decided:
        decisions = decisions.record(decision)
    if decided:
        decisions.check_against(catalog)
        decisions.save(path)
    console.print(f"recorded {len(decided)} decisions in {path}")
    return 0


# ------------------------------------------------------------------------------- shared data


def _cmd_demo(args: argparse.Namespace) -> int:
    from formmerge.demo import print_demo, run_demo

    binding = _binding_of(args) if (args.as_role or args.bind) else None
    print_demo(run_demo(args.registers, persons=args.persons, binding=binding), console)
    return 0


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from formmerge.demodata import default_demo_path, main_generate

    main_generate(args.output or default_demo_path(), persons=args.persons, seed=args.seed)
    return 0


def _binding_of(args: argparse.Namespace) -> dict[str, str]:
    """The role binding given by ``--as ROLE`` and ``--bind ROLE=ROLE``."""
    from formmerge.identities import parse_binding

    return parse_binding(tuple(args.bind or ()), args.as_role)


def _bundle_merged(path: str, args: argparse.Namespace) -> tuple[Bundle, MergedForm]:
    from formmerge.bundle import load_bundle
    from formmerge.merging import merge_bundle

    bundle = load_bundle(path)
    merged = merge_bundle(bundle, binding=_binding_of(args))
    if merged.binding:
        bound = ", ".join(f"{role} = {person}" for role, person in merged.binding)
        console.print(f"roles bound: {bound}")
    return bundle, merged


def _cmd_prefill(args: argparse.Namespace) -> int:
    from formmerge.demodata import ensure_demo_data
    from formmerge.prefill import mask_value, prefill

    bundle, merged = _bundle_merged(args.bundle, args)
    registers = args.registers or (None if args.sources else ensure_demo_data())
    result = prefill(
        merged, args.subject, sources=args.sources, connection=registers, matter=bundle.title
    )
    table = Table(title=f"{bundle.title}: {len(result.values)} of {len(merged.fields)} prefilled")
    for col in ("field", "value", "source", "as of", "authority"):
        table.add_column(col, overflow="fold")
    for fid, v in result.values.items():
        item = merged.field(fid).item
        shown = mask_value(item, v.value) if item else str(v.value)
        table.add_row(fid, shown, v.source, str(v.as_of or ""), v.authority)
    console.print(table)
    console.print(f"left to type: {', '.join(result.to_type) or 'nothing'}")
    if result.derived:
        console.print(f"derived from what is typed: {', '.join(result.derived)}")
    _print_source_problems(result.problems)
    if args.output:
        data = {fid: v.value for fid, v in result.values.items()}
        Path(args.output).write_text(
            json.dumps(data, ensure_ascii=False, indent=2, default=str), "utf-8"
        )
        console.print(f"wrote {args.output}")
    return 1 if result.problems else 0


_PREFILL_PROBLEM_HEADINGS = {
    "subject-not-found": "subject not found",
    "source-value-unfit": "value not offered",
}


def _print_source_problems(problems: list[Problem]) -> None:
    """What the prefill could not do (a source not read, a subject found nowhere, a value that
    does not fit its field): the prefill is partial, and says so."""
    for found in problems:
        heading = _PREFILL_PROBLEM_HEADINGS.get(found.code, "source not read")
        console.print(f"[yellow]{heading}[/yellow] {escape(str(found))}")


def _cmd_verify(args: argparse.Namespace) -> int:
    from formmerge.demodata import ensure_demo_data
    from formmerge.prefill import prefill
    from formmerge.rules import format_outcomes, load_rules, verify

    bundle, merged = _bundle_merged(args.bundle, args)
    rules = load_rules(args.rules or args.bundle)
    registers = args.registers or (None if args.sources else ensure_demo_data())
    result = prefill(
        merged,
        args.subject,
        sources=args.sources,
        connection=registers,
        matter=bundle.title,
        reads=rules.reads,
    )
    outcomes = verify(result, rules, fields=merged)
    console.print(format_outcomes(outcomes, language=args.language))
    _print_source_problems(result.problems)
    return 0 if all(o.status == "pass" for o in outcomes) and not result.problems else 1


# ------------------------------------------------------------------------------- main


def _binding_options(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument(
        "--as",
        dest="as_role",
        metavar="ROLE",
        help=f"the applicant is this role, e.g. --as mother ({default})",
    )
    p.add_argument(
        "--bind",
        action="append",
        metavar="ROLE=ROLE",
        help="another role that is the same person, e.g. --bind guardian=mother (repeatable)",
    )


def _parser() -> argparse.ArgumentParser:
    from formmerge.catalog_learning import DEFAULT_MIN_COUNT

    parser = argparse.ArgumentParser(prog="formmerge", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "catalog", help="list, search or show catalog items; `catalog learn` from decisions"
    )
    p.add_argument("action", nargs="?", choices=("learn",), help="learn from decisions files")
    p.add_argument("files", nargs="*", help="decisions files to learn from (with `learn`)")
    p.add_argument("--forms", nargs="+", help="forms or bundles the decisions are about")
    p.add_argument("-o", "--output", help="write the proposals as a catalog patch (YAML)")
    p.add_argument("--patch", help="apply this (reviewed) patch instead of learning")
    p.add_argument("--apply", metavar="DIR", help="write a catalog copy with the proposals")
    p.add_argument("--min-count", type=int, default=DEFAULT_MIN_COUNT)
    p.add_argument("--search", "-s", help="text to look for in labels and aliases")
    p.add_argument("--show", help="show one item by id")
    p.add_argument("--catalog", help="catalog directory (default: the shipped one)")
    p.set_defaults(handler=_cmd_catalog)

    p = sub.add_parser("inspect", help="show a form's fields, groups, options and notes")
    p.add_argument("form")
    p.add_argument("--strict", action="store_true", help=STRICT_HELP)
    p.set_defaults(handler=_cmd_inspect)

    p = sub.add_parser("merge", help="merge forms (files or bundle directories) into one")
    p.add_argument("forms", nargs="+")
    p.add_argument("-o", "--output", help="write the merged form as JSON")
    p.add_argument("--json-schema", action="store_true", help="write JSON Schema instead")
    p.add_argument("--decisions", help="decisions YAML file")
    p.add_argument("--strict", action="store_true", help=STRICT_HELP)
    _binding_options(p, "a bundle directory's identities; default: every role is its own")
    p.set_defaults(handler=_cmd_merge)

    p = sub.add_parser("review", help="list the review queue, or record decisions")
    p.add_argument("forms", nargs="*")
    p.add_argument(
        "--decisions",
        help=f"decisions YAML (default: a bundle's own, else {DEFAULT_DECISIONS_FILE})",
    )
    p.add_argument("--xlsx", metavar="FILE", help="also write the queue as a workbook")
    p.add_argument("--apply", metavar="FILE", help="read decisions from a review workbook")
    p.add_argument("-i", "--interactive", action="store_true", help="decide field by field")
    p.add_argument("--catalog", help="catalog directory (default: the shipped one)")
    p.add_argument("--confirm", metavar="ITEM@ROLE")
    p.add_argument("--reject", metavar="ITEM@ROLE")
    p.add_argument("--field", metavar="FORM:PATH", help="the field the decision is about")
    p.add_argument("--label", help="or: every field with this label")
    p.add_argument("--note")
    p.set_defaults(handler=_cmd_review)

    p = sub.add_parser("demo", help="merge and prefill the newborn-birth bundle on demo data")
    p.add_argument("--registers", help="demo registers file (default: the user cache)")
    p.add_argument("--persons", type=int, default=20_000, help="size of the demo registers")
    _binding_options(p, "default: the mother applies, as her own guardian")
    p.set_defaults(handler=_cmd_demo)

    p = sub.add_parser("demo-data", help="write the synthetic shared registers (DuckDB)")
    p.add_argument("-o", "--output", help="the DuckDB file (default: the user cache)")
    p.add_argument("--persons", type=int, default=20_000)
    p.add_argument("--seed", type=int, default=42)
    p.set_defaults(handler=_cmd_demo_data)

    for name, handler, text in (
        ("prefill", _cmd_prefill, "prefill a bundle's merged form for one subject"),
        ("verify", _cmd_verify, "check a bundle's eligibility rules for one subject"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("bundle", help="bundle directory")
        p.add_argument("--subject", required=True, help="citizen ID number or USCC")
        p.add_argument("--sources", help="source configuration YAML (default: demo registers)")
        p.add_argument("--registers", help="DuckDB file of the registers")
        _binding_options(p, "default: every role is its own person")
        p.set_defaults(handler=handler)
        if name == "prefill":
            p.add_argument("-o", "--output", help="write the prefilled values as JSON")
        else:
            p.add_argument("--rules", help="rules file (default: the bundle's rules.yaml)")
            p.add_argument("--language", choices=("zh", "en"), default="zh")

    p = sub.add_parser("serve", help="serve bundles over HTTP for a portal (service extra)")
    p.add_argument("--config", help="the service configuration YAML (docs/service.md)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--hash-key", metavar="KEY", help="print the SHA-256 hash of a client key")
    p.set_defaults(handler=_cmd_serve)

    register_report_command(sub)
    return parser


def _cmd_serve(args: argparse.Namespace) -> int:
    if args.hash_key:
        import hashlib

        print(hashlib.sha256(args.hash_key.encode("utf-8")).hexdigest())
        return 0
    if not args.config:
        console.print("[red]error:[/red] give --config FILE (or --hash-key KEY)", highlight=False)
        return 2
    try:
        from formmerge.service import serve
    except ImportError as exc:
        console.print(
            f"[red]error:[/red] the service needs its extra: pip install 'formmerge[service]' "
            f"({exc.name} is missing)",
            highlight=False,
        )
        return 2
    serve(args.config, host=args.host, port=args.port)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``formmerge`` console script."""
    args = _parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except FormmergeError as e:
        # Escaped: a problem's code is written in brackets, which rich would take for markup.
        console.print(f"[red]error:[/red] {escape(str(e))}", highlight=False)
        return 2
    except KeyError as e:
        console.print(f"[red]error:[/red] unknown id {e}", highlight=False)
        return 2


if __name__ == "__main__":
    sys.exit(main())
