"""Real places for synthetic people: administrative divisions (GB/T 2260 codes) and streets.

The demo registers are those of one city, Yichang (宜昌市, 420500, Hubei): every household's
hukou is in one of its 13 county-level divisions, weighted by their population. People may have
been born elsewhere (their ID number then starts with that place's code), so a handful of other
divisions across China are listed as birth places.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BIRTH_PLACES",
    "DISTRICTS",
    "HOME_CITY",
    "ROADS",
    "City",
    "District",
    "Place",
]


@dataclass(frozen=True)
class City:
    """A prefecture-level city and what is named after it."""

    code: str
    name: str
    province: str
    plate: str
    """The prefix of its vehicle plates (province character and city letter)."""
    postal_code: str
    hospitals: tuple[str, ...] = ()


@dataclass(frozen=True)
class District:
    """A county-level division of the home city: district (区), county (县) or county-level city."""

    code: str
    name: str
    city: City
    weight: float
    """Population in ten thousands, used as the sampling weight."""
    streets: tuple[str, ...]
    """Sub-districts (街道) and towns (镇/乡)."""
    tujia_share: float = 0.0
    """Share of Tujia (土家族) people; the two Tujia autonomous counties have a majority."""
    postal_code: str = ""

    @property
    def is_district(self) -> bool:
        """True for an urban district (区), whose offices are branches of the city's."""
        return self.name.endswith("区")

    @property
    def short(self) -> str:
        """The name without its suffix (西陵区 -> 西陵, 长阳土家族自治县 -> 长阳)."""
        for suffix in ("土家族自治县", "区", "县", "市"):
            if self.name.endswith(suffix):
                return self.name[: -len(suffix)]
        return self.name

    @property
    def full_name(self) -> str:
        """Province, city and district, as written at the start of an address."""
        return f"{self.city.province}{self.city.name}{self.name}"

    def police_station(self, street: str) -> str:
        """The police station that keeps the hukou of a street or town."""
        stem = street.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        return f"{self.police()}{stem}派出所"

    def police(self) -> str:
        """The public security bureau (or its branch) that issues ID cards here."""
        if self.is_district:
            return f"{self.city.name}公安局{self.short}分局"
        return f"{self.name}公安局"

    def civil_affairs(self) -> str:
        """The civil affairs bureau that registers marriages here."""
        return f"{self.city.name}{self.name}民政局" if self.is_district else f"{self.name}民政局"

    def market_regulation(self) -> str:
        """The market regulation bureau that registers enterprises here."""
        prefix = self.city.name if self.is_district else ""
        return f"{prefix}{self.name}市场监督管理局"

    def tax_bureau(self) -> str:
        """The tax bureau in charge of taxpayers here."""
        prefix = self.city.name if self.is_district else ""
        return f"国家税务总局{prefix}{self.name}税务局"


@dataclass(frozen=True)
class Place:
    """A county-level division anywhere in China (a birth place or native place)."""

    code: str
    province: str
    city: str
    district: str
    weight: float

    @property
    def full_name(self) -> str:
        """Province, city and district (municipalities are not repeated)."""
        city = "" if self.city == self.province else self.city
        return f"{self.province}{city}{self.district}"

    @property
    def native_place(self) -> str:
        """Province and city, as 籍贯 is written."""
        return self.province if self.city == self.province else f"{self.province}{self.city}"


HOME_CITY = City(
    code="420500",
    name="宜昌市",
    province="湖北省",
    plate="鄂E",
    postal_code="443000",
    hospitals=(
        "宜昌市中心人民医院", "宜昌市第一人民医院", "宜昌市第二人民医院", "宜昌市妇幼保健院",
        "三峡大学仁和医院", "葛洲坝中心医院",
    ),
)  # fmt: skip

# code, name, postal code, population (10k), Tujia share, streets and towns
_DISTRICT_TABLE = """
420502 西陵区 443000 52 0 西陵街道 学院街道 云集街道 西坝街道 葛洲坝街道 夜明珠街道 窑湾街道
420503 伍家岗区 443001 28 0 大公桥街道 万寿桥街道 宝塔河街道 伍家岗街道 伍家乡
420504 点军区 443006 11 0 点军街道 艾家镇 桥边镇 联棚乡
420505 猇亭区 443007 6 0 古老背街道 云池街道 虎牙街道
420506 夷陵区 443100 52 0 小溪塔街道 龙泉镇 鸦鹊岭镇 分乡镇 太平溪镇
420525 远安县 444200 17 0 鸣凤镇 花林寺镇 旧县镇
420526 兴山县 443700 15 0 古夫镇 昭君镇 峡口镇
420527 秭归县 443600 32 0 茅坪镇 归州镇 屈原镇
420528 长阳土家族自治县 443500 34 0.6 龙舟坪镇 高家堰镇 磨市镇
420529 五峰土家族自治县 443400 16 0.8 五峰镇 渔洋关镇 长乐坪镇
420581 宜都市 443300 37 0 陆城街道 红花套镇 高坝洲镇 枝城镇
420582 当阳市 444100 43 0 玉阳街道 坝陵街道 玉泉街道 两河镇
420583 枝江市 443200 44 0 马家店街道 七星台镇 白洋镇 董市镇
"""

# code, province, city, district, weight
_BIRTH_PLACE_TABLE = """
420102 湖北省 武汉市 江岸区 3   420106 湖北省 武汉市 武昌区 3   420111 湖北省 武汉市 洪山区 2
420602 湖北省 襄阳市 襄城区 2   420606 湖北省 襄阳市 樊城区 2   421002 湖北省 荆州市 沙市区 3
421003 湖北省 荆州市 荆州区 2   420802 湖北省 荆门市 东宝区 2   420302 湖北省 十堰市 茅箭区 1
430104 湖南省 长沙市 岳麓区 2   430102 湖南省 长沙市 芙蓉区 1   500103 重庆市 重庆市 渝中区 2
500101 重庆市 重庆市 万州区 2   510107 四川省 成都市 武侯区 1   410105 河南省 郑州市 金水区 1
440106 广东省 广州市 天河区 1   440305 广东省 深圳市 南山区 1   110105 北京市 北京市 朝阳区 1
110108 北京市 北京市 海淀区 1   310115 上海市 上海市 浦东新区 1   320106 江苏省 南京市 鼓楼区 0.5
330106 浙江省 杭州市 西湖区 0.5   340104 安徽省 合肥市 蜀山区 0.5   360102 江西省 南昌市 东湖区 0.5
610103 陕西省 西安市 碑林区 0.5   150105 内蒙古自治区 呼和浩特市 赛罕区 0.5
"""

_ROAD_TABLE = """
东山大道 夷陵大道 沿江大道 解放路 胜利四路 西陵一路 西陵二路 珍珠路 桔城路 港窑路 发展大道 城东大道
长江路 建设路 人民路 中山路 和平路 青年路 新华路 光明路 环城南路 体育场路 隆康路 铁路坝路
"""


def _parse_districts(text: str) -> tuple[District, ...]:
    rows = (line.split() for line in text.strip().splitlines())
    return tuple(
        District(code, name, HOME_CITY, float(weight), tuple(streets), float(tujia), postal)
        for code, name, postal, weight, tujia, *streets in rows
    )


def _parse_places(text: str) -> tuple[Place, ...]:
    words = text.split()
    rows = (words[i : i + 5] for i in range(0, len(words), 5))
    return tuple(Place(c, prov, city, dist, float(w)) for c, prov, city, dist, w in rows)


DISTRICTS: tuple[District, ...] = _parse_districts(_DISTRICT_TABLE)
"""The home city's county-level divisions, where every household's hukou is."""

ROADS: tuple[str, ...] = tuple(_ROAD_TABLE.split())
"""Road names used in addresses."""

BIRTH_PLACES: tuple[Place, ...] = _parse_places(_BIRTH_PLACE_TABLE)
"""Places outside the home city where people were born."""
