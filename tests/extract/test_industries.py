"""The industries component: labels, context rules, candidates."""

from __future__ import annotations

from extract.industries import find_industries


def concepts(text: str) -> list[tuple[str, str]]:
    return [(text[f["char_start"]:f["char_end"]], f["concept"]) for f in find_industries(text)]


def test_labels_and_alternative_labels():
    assert concepts("全力建设电子信息产业集群和生物医药与健康产业") == [
        ("电子信息产业集群", "electronic-information"), ("生物医药与健康", "biomedicine")]


def test_short_label_needs_an_industry_context():
    assert concepts("支持汽车以旧换新") == []
    assert concepts("推动汽车产业转型") == [("汽车产业", "automotive")]
    assert concepts("便利光电、集成电路等产业进口设备") == [
        ("光电", "optoelectronics"), ("集成电路", "integrated-circuits")]


def test_enumeration_closed_by_the_last_item():
    found = concepts("加快清洁能源电力、氢能、储能、低碳氢氨醇产业的延链补链")
    assert ("氢能", "hydrogen-energy-storage") in found and ("储能", "hydrogen-energy-storage") in found


def test_a_listing_line_under_an_industry_heading():
    """An industry block lists its industries on a line of their own (sample 001, block 三)."""
    text = "（三）六个未来产业\n\n第三代半导体、未来网络、氢能与储能\n\n牵头单位：市科技局"
    assert concepts(text) == [("六个未来产业", "xiamen-future-industries"),
                              ("第三代半导体", "third-generation-semiconductors"),
                              ("未来网络", "future-networks"), ("氢能与储能", "hydrogen-energy-storage")]


def test_a_listing_needs_an_industry_heading_and_no_sentence():
    # the heading names no industry
    assert concepts("（二）重点任务\n储能、人工智能") == []
    # the line is a sentence, not a listing
    assert concepts("（三）未来产业\n支持储能、人工智能企业上市，给予奖励") == [("未来产业", "future-industries")]
    # the heading is a sentence
    assert concepts("各区要培育产业，加快发展。\n储能、人工智能") == []


def test_agency_names_are_not_industries():
    assert concepts("（责任单位：市文旅局、会展局）") == []


def test_candidates_for_unknown_phrases(nlp):
    doc = nlp("大力发展演唱会经济、赛事经济，推动产业发展，促进经济社会发展。")
    found = [(s.text, s._.policykg["candidate"]) for s in doc.spans["industries"]]
    assert ("演唱会经济", True) in found and ("赛事经济", True) in found
    assert all(text not in ("推动产业", "促进经济") for text, _ in found)


def test_hangzhou_fixture(nlp, fixture_text):
    doc = nlp(fixture_text("hangzhou_plan.txt"))
    found = {s._.policykg["concept"] for s in doc.spans["industries"]}
    assert {"integrated-circuits", "artificial-intelligence", "low-altitude-economy", "digital-economy"} <= found
