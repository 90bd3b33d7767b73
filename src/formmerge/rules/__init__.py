"""Condition verification (条件核验): eligibility rules over an application's shared data.

Rules are written in a small language (see ``docs/rules.md``), declared per bundle or matter
in a ``rules.yaml``, checked when loaded, and evaluated on one application in Python
(:func:`verify`) or on many subjects at once in DuckDB (:func:`verify_batch`), with the same
three-valued outcome: pass, fail, or unknown when data is missing.

Modules: :mod:`~formmerge.rules.language` (tokenizer and parser), :mod:`~.nodes` (syntax tree
and types), :mod:`~.functions` (the function table), :mod:`~.check` (type checking),
:mod:`~.evaluate` (Python evaluation), :mod:`~.values` (reading values), :mod:`~.sql` (SQL
compilation), :mod:`~.model` and :mod:`~.load` (rule sets and rules files), :mod:`~.api`.
"""

from formmerge.rules.api import RuleOutcome, Status, format_outcomes, verify, verify_batch
from formmerge.rules.functions import FUNCTIONS
from formmerge.rules.load import RULES_FILE, load_rules, parse_rules
from formmerge.rules.model import BoundRuleSet, Rule, RuleSet

__all__ = [
    "FUNCTIONS",
    "RULES_FILE",
    "BoundRuleSet",
    "Rule",
    "RuleOutcome",
    "RuleSet",
    "Status",
    "format_outcomes",
    "load_rules",
    "parse_rules",
    "verify",
    "verify_batch",
]
