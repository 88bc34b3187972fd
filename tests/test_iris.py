"""IRIs are deterministic, readable and follow the templates of ontology/README.md."""

from __future__ import annotations

import pytest

from kg.iris import (
    agency_iri,
    cited_iri,
    document_iri,
    fact_iri,
    initials,
    measure_iri,
    normalise_number,
    number_slug,
    person_iri,
    pinyin_slug,
    provision_iri,
)

BASE = "https://w3id.org/policykg/"


def record(number=None, code="350200", name="厦门市", title="若干措施", date=None):
    jurisdiction = {"name": name, "code": code} if code else None
    return {"document": {"doc_number": number, "title": title, "date_issued": date, "jurisdiction": jurisdiction}}


@pytest.mark.parametrize("number, expected", [
    ("厦府办规〔2024〕12号", ("2024", "xfbg-12")),
    ("厦府办[2022]98号", ("2022", "xfb-98")),
    ("大委办发[2024]15号", ("2024", "dwbf-15")),
    ("工信部联财函〔2024〕192号", ("2024", "gxblch-192")),
    ("国发（2024）第5号", ("2024", "gf-5")),
    ("长政办发【2023】007号", ("2023", "czbf-7")),   # 长 read chang as in 长沙, leading zeros dropped
    ("渝府发［２０２４］３号", ("2024", "yff-3")),      # full-width brackets and digits
])
def test_number_slug(number, expected):
    assert number_slug(number) == expected


def test_unparsable_number_falls_back_to_title_hash():
    iri = document_iri(record(number="见附件", date="2023-05-01"))
    assert iri.value.startswith(BASE + "eli/cn/350200/2023/t-")
    assert len(iri.value.rsplit("t-", 1)[1]) == 8


def test_document_iri_template_and_stability():
    first = document_iri(record("厦府办规〔2024〕12号"))
    assert first.value == BASE + "eli/cn/350200/2024/xfbg-12"
    # same number printed with other brackets → same document
    assert document_iri(record("厦府办规[2024]12号")) == first
    # same number in another jurisdiction → another document
    assert document_iri(record("厦府办规〔2024〕12号", code="210200", name="大连市")) != first


def test_document_without_jurisdiction_or_date():
    assert document_iri(record(code=None, title="任务分解表")).value.startswith(BASE + "eli/cn/unknown/undated/t-")


def test_parts_and_facts():
    doc = document_iri(record("厦府办规〔2024〕12号"))
    assert measure_iri(doc, "1-5").value == doc.value + "/measure/1-5"
    assert provision_iri(doc, "2", False).value == doc.value + "/part/2"
    assert fact_iri(doc, "responsibility", (10, 14), "lead").value == doc.value + "/responsibility/10-14-lead"


def test_agencies_under_their_jurisdiction():
    assert agency_iri("350200", "厦门市财政局", "厦门市").value == BASE + "agency/350200/caizhengju"
    assert agency_iri("210200", "大连市财政局", "大连市").value == BASE + "agency/210200/caizhengju"
    # without a known jurisdiction name a leading place name is still removed
    assert agency_iri("350000", "福建省财政厅").value == BASE + "agency/350000/caizhengting"
    # the prefix is only removed when it is the jurisdiction's name
    assert agency_iri("350200", "中国人民银行厦门市分行", "厦门市").value.endswith("/zhongguorenminyinhangxiamenshifenhang")


def test_slugs_are_ascii_and_readable():
    assert pinyin_slug("市场监督管理局") == "shichangjianduguanliju"
    assert initials("厦") == "x"  # 厦门, not 大厦
    assert normalise_number("厦府办【2022】98 号") == "厦府办〔2022〕98号"
    for value in (person_iri("350200", "张三").value, cited_iri("工信部联财函〔2024〕192号").value):
        assert value.isascii()


def test_cited_documents():
    assert cited_iri("工信部联财函〔2024〕192号").value == BASE + "cited/2024-gxblch-192"
    assert cited_iri(None, "《关于支持中小微企业健康发展的若干措施》") == cited_iri(None, "关于支持中小微企业健康发展的若干措施")
