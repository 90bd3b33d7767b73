"""The vocabulary of 数据元 lists: their column headers, data type names and obligations.

Data-element standards and the lists that data bureaus and departments publish name the same
columns in several ways; each column here is known by all the names seen for it.
"""

from __future__ import annotations

__all__ = [
    "DATA_ELEMENT_COLUMNS",
    "DATA_ELEMENT_MARKERS",
    "DATA_TYPES",
    "DATE_TOKENS",
    "IGNORED_COLUMNS",
    "OBLIGATIONS",
]

DATA_ELEMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "label": ("数据项名称", "数据元名称", "中文名称", "名称", "数据项", "字段名称", "中文名"),
    "key": ("数据项编码", "数据元编码", "数据项代码", "标识符", "数据元标识符", "内部标识符",
            "英文名称", "英文名", "字段名", "字段代码", "字段编码", "字段标识", "英文缩写"),
    "type": ("数据类型", "类型", "字段类型", "数据元类型"),
    "length": ("长度", "数据长度", "最大长度", "字段长度"),
    "precision": ("精度", "小数位", "小数位数"),
    "required": ("是否必填", "必填", "必填项", "是否必须", "是否必需"),
    "nullable": ("是否可为空", "允许为空", "可为空", "是否为空", "可否为空"),
    "obligation": ("约束条件", "约束", "必选/可选"),
    "values": ("值域", "代码集", "值域/代码集", "值域代码", "取值范围", "代码", "代码值", "可选值",
               "枚举值", "代码表"),
    "representation": ("表示格式", "数据格式", "格式"),
    "description": ("说明", "备注", "描述", "定义", "数据项说明", "含义", "数据项描述"),
    "examples": ("示例", "示例值", "样例"),
    "group": ("分组", "分类", "类别", "信息类别", "所属分类"),
}  # fmt: skip
"""Column of a 数据元 list -> the headers it is written with."""

DATA_ELEMENT_MARKERS = frozenset({
    "数据项名称", "数据元名称", "数据项编码", "数据元编码", "数据项代码", "标识符", "数据元标识符",
    "内部标识符", "值域", "代码集", "值域/代码集", "值域代码", "约束条件", "表示格式", "取值范围",
    "代码表",
})  # fmt: skip
"""Headers that only 数据元 lists have; one of them marks a table as one."""

IGNORED_COLUMNS = ("序号", "编号", "no", "#")
"""Row-number columns, skipped."""

DATA_TYPES: dict[str, str] = {
    "字符型": "string", "字符串": "string", "字符": "string", "文本": "string", "c": "string",
    "string": "string", "varchar": "string", "varchar2": "string", "char": "string",
    "数值型": "number", "数字型": "number", "数值": "number", "n": "number", "number": "number",
    "decimal": "number", "numeric": "number", "整数型": "integer", "整型": "integer",
    "整数": "integer", "int": "integer", "integer": "integer", "日期型": "date", "日期": "date",
    "d": "date", "date": "date", "日期时间型": "datetime", "日期时间": "datetime",
    "dt": "datetime", "datetime": "datetime", "timestamp": "datetime", "时间型": "string",
    "t": "string", "time": "string", "代码型": "enum", "代码": "enum", "枚举": "enum",
    "枚举型": "enum", "布尔型": "boolean", "逻辑型": "boolean", "布尔": "boolean",
    "b": "boolean", "boolean": "boolean", "二进制": "file", "二进制型": "file", "by": "file",
    "blob": "file", "文件": "file",
}  # fmt: skip
"""数据类型 names (lower case) -> field type."""

OBLIGATIONS: dict[str, bool] = {"m": True, "必选": True, "o": False, "可选": False}
"""约束条件 values; C (条件必选) is not required unconditionally, and is noted."""

DATE_TOKENS = (("YYYY", "%Y"), ("MM", "%m"), ("DD", "%d"), ("hh", "%H"), ("HH", "%H"),
               ("mm", "%M"), ("ss", "%S"))  # fmt: skip
"""表示格式 date tokens -> strftime directives, replaced in this order."""
