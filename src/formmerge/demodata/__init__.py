"""Synthetic government registers for demos, tests and benchmarks.

:func:`generate` writes a DuckDB file of consistent registers of one city (population, household
registration, marriage, birth certificates, schools, insurance, housing fund, real estate,
vehicles, enterprises, tax, credit ...) for any number of people from a thousand to ten million;
the same seed and size always give the same data. :func:`ensure_demo_data` builds the file on
first use, and :func:`demo_subjects` finds people and enterprises that make good demonstrations.

Nothing in it is real: names, numbers and addresses are drawn at random from real-looking
parts, and ID numbers, credit codes and VINs carry valid check characters.
"""

from __future__ import annotations

from formmerge.demodata.generate import (
    DEFAULT_PERSONS,
    DEFAULT_REFERENCE_DATE,
    DEFAULT_SEED,
    DemoSummary,
    generate,
    main_generate,
)
from formmerge.demodata.paths import default_demo_path, demo_info, ensure_demo_data
from formmerge.demodata.schema import TABLE_LABELS, TABLES
from formmerge.demodata.subjects import demo_subjects

__all__ = [
    "DEFAULT_PERSONS",
    "DEFAULT_REFERENCE_DATE",
    "DEFAULT_SEED",
    "TABLES",
    "TABLE_LABELS",
    "DemoSummary",
    "default_demo_path",
    "demo_info",
    "demo_subjects",
    "ensure_demo_data",
    "generate",
    "main_generate",
]
