"""The citations component: titles, document numbers, both, and the document itself."""

from __future__ import annotations

from extract.citations import find_citations


def test_title_with_number_in_brackets():
    text = "落实《工业和信息化部等五部门关于公布第三批国家产融合作试点城市名单的通知》(工信部联财函〔2024〕192号)工作要求"
    [citation] = find_citations(text)
    assert citation["doc_number"] == "工信部联财函〔2024〕192号"
    assert citation["title"].startswith("工业和信息化部")
    assert text[citation["char_start"]:citation["char_end"]].endswith("192号)")


def test_number_brackets_are_normalised():
    assert [c["doc_number"] for c in find_citations("依据厦府办[2022]98号和大委办发【2024】15号")] == [
        "厦府办〔2022〕98号", "大委办发〔2024〕15号"]


def test_title_whitespace_is_removed():
    [citation] = find_citations("推动《厦门市重点产业发展行动 方案》落实")
    assert citation["title"] == "厦门市重点产业发展行动方案"


def test_own_title_and_number_are_not_citations():
    text = "关于印发《某市若干措施》的通知\n某府〔2024〕1号\n根据《上级文件》"
    found = find_citations(text, own_titles=("某市若干措施",), own_number="某府〔2024〕1号")
    assert [c["title"] for c in found] == ["上级文件"]


def test_unmatched_brackets_do_not_crash():
    text = "《《未闭合的书名号 〔2024〕号 ]]》"
    found = find_citations(text)
    assert all(0 <= c["char_start"] < c["char_end"] <= len(text) and c["doc_number"] is None for c in found)


def test_orders_numbered_without_a_year():
    [citation] = find_citations("依据《厦门市优化营商环境条例》（厦门市人民政府令第190号）执行")
    assert citation["title"] == "厦门市优化营商环境条例" and citation["doc_number"] == "厦门市人民政府令第190号"
