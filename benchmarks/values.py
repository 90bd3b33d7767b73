"""Sample values for instance-based peers: plausible values per catalog item, freshly drawn.

The form side and the catalog side of a peer comparison each get values drawn with their own
seed, so the two columns of one item share a distribution (ID numbers look like ID numbers)
but not their values; copying one sample to both sides would give the answer away.
"""

from __future__ import annotations

import random
import string
from datetime import date, timedelta

from formmerge.demodata.names import (
    FEMALE_CHARS_YOUNG,
    MALE_CHARS_OLD,
    SURNAME_WEIGHTS,
    SURNAMES,
)
from formmerge.models import CatalogItem, CodeList, FieldType
from formmerge.validators import make_citizen_id, make_uscc, make_vin

__all__ = ["DEFAULT_ROWS", "sample_values"]

DEFAULT_ROWS = 20
"""Values per column."""

_REGIONS = ("110101", "310104", "420502", "420503", "440305", "510107", "150102", "330106")
_CITIES = ("宜昌市", "武汉市", "呼和浩特市", "成都市", "杭州市", "深圳市", "包头市", "襄阳市")
_ROADS = ("沿江大道", "解放路", "人民路", "建设路", "胜利街", "发展大道", "新华路", "中山路")
_ORG_SUFFIX = ("公安局", "人民医院", "市场监督管理局", "第一中学", "社会保险事业中心", "税务局")
_COMPANY = ("科技有限公司", "商贸有限公司", "建筑工程有限公司", "餐饮管理有限公司", "物流有限公司")
_WORDS = tuple("春华秋实山水林田湖草沙海天地人和安康泰顺达通远明德")
_PLATE_PROVINCES = "京沪鄂蒙川浙粤"
_ALNUM = string.ascii_uppercase + string.digits


def _person_name(rng: random.Random) -> str:
    surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
    pool = MALE_CHARS_OLD if rng.random() < 0.5 else FEMALE_CHARS_YOUNG
    return surname + "".join(rng.choice(pool) for _ in range(rng.choice((1, 2))))


def _date(rng: random.Random, start: int, end: int) -> date:
    first = date(start, 1, 1)
    return first + timedelta(days=rng.randrange((date(end, 12, 31) - first).days))


def _code(rng: random.Random, item_id: str) -> str:
    # each item's numbers have their own length and alphabet, as real certificate numbers do
    shape = random.Random(item_id)
    length = shape.randint(8, 20)
    alphabet = string.digits if shape.random() < 0.6 else _ALNUM
    return "".join(rng.choice(alphabet) for _ in range(length))


def _number(rng: random.Random, item_id: str) -> str:
    if any(w in item_id for w in ("ratio", "rate")):
        return f"{rng.uniform(1, 100):.1f}"
    if "weight" in item_id:
        return str(rng.randint(2300, 4600))
    if "length" in item_id:
        return str(rng.randint(45, 56))
    if "weeks" in item_id:
        return str(rng.randint(34, 42))
    if "years" in item_id:
        return str(rng.randint(1, 40))
    if any(w in item_id for w in ("capital", "balance", "base", "income", "area")):
        return f"{rng.uniform(10, 5000):.2f}"
    return str(rng.randint(0, 300))


def _text(rng: random.Random, item: CatalogItem) -> str:
    i = item.id
    if (i.endswith("name") and item.domain in ("person", "household")) or i == "name":
        return _person_name(rng)
    if "enterprise_name" in i or i in ("employer_name",):
        return rng.choice(_CITIES)[:-1] + "".join(rng.sample(_WORDS, 2)) + rng.choice(_COMPANY)
    if any(w in i for w in ("address", "place", "region")):
        return f"{rng.choice(_CITIES)}{rng.choice(_ROADS)}{rng.randint(1, 999)}号"
    if any(
        w in i
        for w in (
            "authority",
            "institution",
            "hospital",
            "school",
            "center",
            "unit",
            "bank",
            "home",
        )
    ):
        return rng.choice(_CITIES) + rng.choice(_ORG_SUFFIX)
    if any(w in i for w in ("number", "account", "code", "policy", "id")):
        return _code(rng, i)
    return "".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 6)))


def _by_format(rng: random.Random, fmt: str) -> str | None:
    if fmt == "citizen-id":
        return make_citizen_id(
            rng.choice(_REGIONS), _date(rng, 1950, 2020), rng.randint(1, 999), rng.choice("12")
        )
    if fmt == "uscc":
        return make_uscc(rng, rng.choice(_REGIONS))
    if fmt == "vin":
        return make_vin(rng)
    if fmt == "mobile":
        return "1" + rng.choice("35789") + "".join(rng.choice(string.digits) for _ in range(9))
    if fmt == "phone":
        return f"0{rng.randint(10, 999)}-{rng.randint(2000000, 89999999)}"
    if fmt == "email":
        user = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9)))
        return f"{user}{rng.randint(1, 99)}@{rng.choice(('163.com', 'qq.com', 'gov.cn'))}"
    if fmt == "postal-code":
        return f"{rng.randint(100000, 859999)}"
    if fmt == "region-code":
        return rng.choice(_REGIONS)
    if fmt == "plate":
        return (
            rng.choice(_PLATE_PROVINCES)
            + rng.choice("ABCDE")
            + "".join(rng.choice(_ALNUM) for _ in range(5))
        )
    if fmt == "date":
        return _date(rng, 1990, 2025).isoformat()
    return None


def sample_values(
    rng: random.Random,
    item: CatalogItem | None,
    field_type: FieldType,
    code_list: CodeList | None = None,
    rows: int = DEFAULT_ROWS,
) -> list[str]:
    """``rows`` values for a field of ``item`` (None if uncatalogued) of type ``field_type``."""
    out: list[str] = []
    for _ in range(rows):
        t = item.type if item is not None else field_type
        value = _by_format(rng, item.format) if item is not None and item.format else None
        if value is None:
            if t == "enum" and code_list is not None:
                c = rng.choice(code_list.codes)
                value = c.label_zh if rng.random() < 0.7 else c.code
            elif t == "boolean":
                value = rng.choice(("是", "否"))
            elif t in ("date", "datetime"):
                start = 1950 if item is not None and "birth" in item.id else 2000
                d = _date(rng, start, 2025).isoformat()
                value = (
                    d if t == "date" else f"{d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
                )
            elif t in ("integer", "number"):
                value = _number(rng, item.id if item is not None else "")
            elif t == "file":
                value = f"{_code(rng, 'file')}.jpg"
            elif item is not None:
                value = _text(rng, item)
            else:
                value = "".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 8)))
        out.append(value)
    return out
