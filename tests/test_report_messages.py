"""The report's words: every column has a header in both languages, and none is an identifier."""

from __future__ import annotations

import re

import pytest

from formmerge.bundle import list_example_bundles, load_bundle
from formmerge.errors import FormmergeError
from formmerge.report import portfolio_report
from formmerge.report.cohort import STATISTICS
from formmerge.report.messages import (
    HEADERS,
    LANGUAGES,
    METRIC_NAMES,
    TEXTS,
    check_language,
    header,
    metric_name,
    text,
)
from formmerge.report.metrics import METRICS

IDENTIFIER = re.compile(r"^[a-z]+(_[a-z]+)+$")
"""What a header must not look like: ``fields_after_merge``."""


@pytest.fixture(scope="module")
def columns() -> set[str]:
    portfolio = portfolio_report([load_bundle(d) for d in list_example_bundles()])
    found: set[str] = set()
    for frame in portfolio.sheets().values():
        found |= {str(c) for c in frame.columns}
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_column_has_a_worded_header(columns: set[str], lang: str) -> None:
    missing = sorted(c for c in columns if c not in HEADERS)
    assert missing == []
    worded = {c: header(c, lang) for c in columns}
    assert [c for c, h in worded.items() if IDENTIFIER.match(h) or "_" in h] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_metric_and_statistic_has_a_name(lang: str) -> None:
    assert set(METRICS) <= set(METRIC_NAMES)
    for metric in METRICS:
        assert not IDENTIFIER.match(metric_name(metric, lang))
    for statistic in STATISTICS:
        assert text(f"stat_{statistic}", lang)


def test_chinese_is_the_default_and_english_is_english() -> None:
    assert header("fields_after_merge") == "部门仍收到的字段"
    assert header("fields_after_merge", "en") == "Fields the department still receives"
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for key, (zh, en) in TEXTS.items():
        assert cjk.search(zh), key
        assert not cjk.search(en), key
    for key, (zh, en) in HEADERS.items():
        assert cjk.search(zh) and not cjk.search(en), key


def test_an_unknown_language_is_refused() -> None:
    assert check_language("en") == "en"
    with pytest.raises(FormmergeError) as caught:
        check_language("fr")
    assert caught.value.problems[0].code == "unknown-language"
