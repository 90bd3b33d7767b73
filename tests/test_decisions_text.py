"""Recording decisions edits the decisions file: the analyst's comments and layout stay."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from formmerge.decisions import Decision, load_decisions
from formmerge.decisions_text import edit_decisions_text

ANNOTATED = """\
# decisions for the newborn bundle, checked with the hospital on 3 March
decisions:
  # the father's address on the certificate is his hukou address
  - form: birth-medical-certificate
    field: fq/zz
    item: hukou_address   # not the residence
    role: father
  - form: birth-medical-certificate
    field: mq/xm
    item: name
    role: mother
    note: 产妇姓名
same:
  - [a:x, b:y]   # both ask for the school
"""


def _file(tmp_path: Path, text: str = ANNOTATED) -> Path:
    path = tmp_path / "decisions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_new_decision_is_appended_and_every_comment_stays(tmp_path: Path) -> None:
    path = _file(tmp_path)
    new = Decision(form="hukou-birth", field="fq/sfzhm", item="citizen_id", role="father")
    load_decisions(path).record(new).save(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(ANNOTATED.split("same:")[0])  # the old lines, unchanged
    for comment in ("# decisions for", "# the father's", "# not the residence", "# both ask"):
        assert comment in text
    again = load_decisions(path)
    assert again.items[-1] == new and len(again.items) == 3
    assert [list(g) for g in again.same] == [["a:x", "b:y"]]


def test_a_replaced_decision_loses_only_its_own_lines(tmp_path: Path) -> None:
    path = _file(tmp_path)
    changed = Decision(
        form="birth-medical-certificate", field="fq/zz", item="hukou_address", role="mother"
    )
    load_decisions(path).record(changed).save(path)
    text = path.read_text(encoding="utf-8")
    assert "# not the residence" not in text  # the replaced entry's own comment
    assert "# decisions for" in text and "# both ask" in text
    items = load_decisions(path).items
    assert [d.role for d in items] == ["mother", "mother"] and items[-1] == changed


def test_a_flow_style_file_is_rewritten_whole(tmp_path: Path) -> None:
    text = "decisions: [{field: a, item: name}]\n"
    wanted = {"decisions": [{"field": "a", "item": "name"}, {"field": "b", "item": "name"}]}
    assert edit_decisions_text(text, wanted) is None
    path = _file(tmp_path, text)
    decisions = load_decisions(path).record(Decision(field="b", item="name"))
    decisions.save(path)
    assert [d.field for d in load_decisions(path).items] == ["a", "b"]


_entry = st.fixed_dictionaries(
    {"field": st.sampled_from(["a", "b", "c", "d"]), "item": st.sampled_from(["name", "sex"])},
    optional={"note": st.text(alphabet="注释 #:'x", min_size=1, max_size=6)},
)


@settings(max_examples=60, deadline=None)
@given(old=st.lists(_entry, min_size=1, max_size=4), new=st.lists(_entry, max_size=3))
def test_the_edited_text_always_reads_back_as_the_decisions(
    old: list[dict[str, str]], new: list[dict[str, str]]
) -> None:
    text = "# kept\n" + yaml.safe_dump({"decisions": old}, allow_unicode=True, sort_keys=False)
    kept = [e for e in old if e not in new]
    wanted = {"decisions": kept + new}
    edited = edit_decisions_text(text, wanted)
    appended_only = kept == old and len({str(e) for e in old}) == len(old)
    assert edited is not None or not appended_only  # appending always edits in place
    if edited is not None:
        assert yaml.safe_load(edited) == wanted
        assert edited.startswith("# kept\n")
