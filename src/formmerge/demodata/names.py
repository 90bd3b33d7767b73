"""Chinese personal names for synthetic people: surnames by frequency, given-name characters.

Surname weights follow the order and rough shares of the most common surnames in the 2020
census (per mille of the population); the 100 listed cover about 85% of people, which is enough
for realistic-looking data. Given-name characters come in two pools per sex, one favoured by
people born before 1980 and one by younger people, so that a grandmother is 秀英 rather than 梓涵.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import lazy_pinyin

__all__ = [
    "FEMALE_CHARS_OLD",
    "FEMALE_CHARS_YOUNG",
    "MALE_CHARS_OLD",
    "MALE_CHARS_YOUNG",
    "NAME_COHORT_YEAR",
    "SURNAMES",
    "SURNAME_WEIGHTS",
    "TWO_CHARACTER_GIVEN_NAME_SHARE",
    "surname_pinyin",
]

_SURNAME_TABLE = """
王 71 李 70 张 66 刘 54 陈 46 杨 31 黄 25 赵 23 吴 20 周 19 徐 15 孙 15 马 13 朱 13 胡 12
郭 12 何 11 林 10 高 10 罗 9 郑 9 梁 8 谢 7 宋 7 唐 7 许 6 韩 6 邓 6 冯 6 曹 6 彭 6 曾 5
肖 5 田 5 董 5 潘 4 袁 4 蔡 4 蒋 4 余 4 于 4 杜 4 叶 4 程 4 魏 3 苏 3 吕 3 丁 3 任 3 卢 3
姚 3 沈 3 钟 3 姜 3 崔 3 谭 3 陆 3 范 2 汪 2 廖 2 石 2 金 2 韦 2 贾 2 夏 2 付 2 方 2 邹 2
熊 2 白 2 孟 2 秦 2 邱 2 侯 2 江 2 尹 2 薛 2 闫 2 段 2 雷 2 龙 1 黎 1 史 1 陶 1 贺 1 毛 1
郝 1 顾 1 龚 1 邵 1 万 1 覃 1 武 1 钱 1 戴 1 严 1 向 1 欧阳 0.3 司马 0.05 诸葛 0.02
"""

_pairs = _SURNAME_TABLE.split()
SURNAMES: tuple[str, ...] = tuple(_pairs[0::2])
"""Surnames, most common first (including a few compound surnames)."""
SURNAME_WEIGHTS: tuple[float, ...] = tuple(float(w) for w in _pairs[1::2])
"""Relative frequency of each surname in :data:`SURNAMES`."""

MALE_CHARS_OLD: tuple[str, ...] = tuple(
    "建国华明军伟强平志刚勇林斌海东峰涛辉文新春德福庆忠祥荣生兵红卫"
)
"""Given-name characters common among men born before :data:`NAME_COHORT_YEAR`."""
MALE_CHARS_YOUNG: tuple[str, ...] = tuple(
    "浩宇轩子睿泽博文俊杰昊然天翔晨阳鑫磊宸逸航诚锦铭嘉豪铭凯鹏飞"
)
"""Given-name characters common among men born since :data:`NAME_COHORT_YEAR`."""
FEMALE_CHARS_OLD: tuple[str, ...] = tuple(
    "秀英兰芳桂珍凤玉梅霞华红丽萍琴云莲淑敏静燕娟艳玲芬英春菊美"
)
"""Given-name characters common among women born before :data:`NAME_COHORT_YEAR`."""
FEMALE_CHARS_YOUNG: tuple[str, ...] = tuple(
    "梓涵欣怡诗雨萱佳琪思悦可馨婷雪颖晶倩瑶璐语嘉一诺若汐紫依然彤"
)
"""Given-name characters common among women born since :data:`NAME_COHORT_YEAR`."""

NAME_COHORT_YEAR = 1980
"""People born in or after this year get given names from the *_YOUNG pools."""
TWO_CHARACTER_GIVEN_NAME_SHARE = 0.8
"""Share of people whose given name has two characters (the rest have one)."""


@lru_cache(maxsize=1)
def surname_pinyin() -> tuple[str, ...]:
    """Each surname of :data:`SURNAMES` in pinyin without tones (for e-mail addresses)."""
    return tuple("".join(lazy_pinyin(s)) for s in SURNAMES)
