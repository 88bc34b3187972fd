"""A deterministic, scaled corpus of realistic policy documents for the benchmarks.

Documents are assembled from the five bundled samples (their measure titles,
sentences and chapter headings, harvested at start-up) and from the phrase and
place lists in ``benchmarks/data/``: each document gets a city (or a district or
province) with its own issuing agencies, document number style, dates, amounts,
numbering style (一、/（一）/1./第X章/第X条/tables/industry blocks), length, file
format (txt, md, html) and encoding, plus the conversion debris the samples carry.

Document ``i`` depends only on ``(seed, i)``, so the 100-document corpus is the
first 100 documents of the 1,000-document one. Each corpus is written as
``OUT/corpus-N/docs/<city>/<file>`` with ``OUT/corpus-N/manifest.json`` next to
the documents (outside ``docs/`` so the build never reads it).

>>> material = load_material()
>>> first = generate_document(0, 7, material)
>>> first == generate_document(0, 7, material)
True
>>> first.relpath.split("/")[0] in {p.slug for p in material.places}
True

Usage::

    python -m benchmarks.generate_corpus --sizes 100,1000,10000 [--seed 20241012] [--out benchmarks]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_SEED = 20241012
DEFAULT_OUT = Path(__file__).resolve().parent

CN_DIGITS = "零一二三四五六七八九"

# Sample markers replaced by the document's own city and province when filling.
CITY_MARK = "\x01"
PROVINCE_MARK = "\x02"

MEASURE_LINE = re.compile(r"^\s*\d{1,2}\s*[.．、]\s*(?P<title>[^。；;]{5,40})[。；;](?P<rest>.*)$")
SUBHEAD_LINE = re.compile(r"^\s*[（(][一二三四五六七八九十]{1,3}[）)]\s*(?P<title>[^。；;]{4,30})[。；;]?(?P<rest>.*)$")
CHAPTER_LINE = re.compile(r"^\s*#*\s*[一二三四五六七八九十]{1,3}、\s*(?P<title>[^。，,；]{4,25})\s*$")
SENTENCE_END = re.compile(r"(?<=[。；])")
SKIP_SENTENCE = re.compile(r"责任单位|牵头|配合单位|附件|印发|此件|有关单位|抄送|—|^\s*\d+\s*$")
NUMBERS = re.compile(r"(?P<amount>\d+(?:\.\d+)?)(?P<unit>万|亿)?元|(?P<year>20[12]\d)年|(?P<rate>\d+(?:\.\d+)?)%")
LEADING_NUMBER = re.compile(r"^\s*(?:\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)\s*")
HALF_WIDTH = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"})


def chinese_number(n: int) -> str:
    """Write 1..999 in Chinese numerals as documents print them.

    >>> [chinese_number(n) for n in (1, 10, 12, 20, 35, 100, 108)]
    ['一', '十', '十二', '二十', '三十五', '一百', '一百零八']
    """
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    head = CN_DIGITS[n // 100] + "百"
    if not rest:
        return head
    return head + ("零" + CN_DIGITS[rest] if rest < 10 else chinese_number(rest) if rest >= 20 else "一" + chinese_number(rest))


@dataclass(frozen=True)
class Place:
    slug: str
    province: str
    city: str
    abbr: str
    districts: tuple[str, ...]

    @property
    def municipality(self) -> bool:
        return self.province == self.city


@dataclass(frozen=True)
class Agency:
    short: str
    full: str
    code: str
    may_issue: bool


@dataclass
class Material:
    """Everything documents are assembled from, loaded once per process."""

    places: list[Place]
    agencies: list[Agency]
    surnames: str
    given: str
    phrases: dict
    measure_titles: list[str]
    sentences: list[str]  # each may hold CITY_MARK / PROVINCE_MARK
    chapter_titles: list[str]
    html_template: jinja2.Template
    numbered: set[int] = field(default_factory=set)  # indexes of sentences holding numbers


@dataclass
class GeneratedDocument:
    relpath: str  # relative to the corpus's docs/ folder, "/"-separated
    text: str  # the document's text as a reader would return it (the body for HTML)
    data: bytes  # the file's bytes
    format: str
    encoding: str


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _sample_documents() -> list[str]:
    try:
        from kg.resources import default_corpus

        folder = default_corpus()
    except (ImportError, FileNotFoundError):
        folder = Path(__file__).resolve().parent.parent / "corpus" / "documents"
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]


@cache
def load_material() -> Material:
    """Load the data files and harvest titles and sentences from the samples."""
    phrases = json.loads((DATA_DIR / "phrases.json").read_text(encoding="utf-8"))
    places = [Place(r[0], r[1], r[2], r[3], tuple(d for d in (r[4] if len(r) > 4 else "").split(",") if d))
              for r in _read_tsv(DATA_DIR / "places.tsv")]
    agencies = [Agency(r[0], r[1], r[2], r[3] == "1") for r in _read_tsv(DATA_DIR / "agencies.tsv")]
    names = dict((r[0], r[1]) for r in _read_tsv(DATA_DIR / "names.tsv"))

    def neutralise(text: str) -> str:
        for city in phrases["sample_cities"]:
            text = text.replace(city + "市", CITY_MARK + "市").replace(city, CITY_MARK)
        for province in phrases["sample_provinces"]:
            text = text.replace(province + "省", PROVINCE_MARK).replace(province, PROVINCE_MARK)
        return text

    titles: set[str] = set()
    chapters: set[str] = set()
    sentences: set[str] = set()
    for document in _sample_documents():
        for raw_line in document.splitlines():
            line = neutralise(raw_line.strip().lstrip("#").strip())
            if not line:
                continue
            chapter = CHAPTER_LINE.match(line)
            if chapter:
                chapters.add(chapter.group("title"))
                continue
            rest = line
            match = MEASURE_LINE.match(line) or SUBHEAD_LINE.match(line)
            if match:
                titles.add(match.group("title").strip())
                rest = match.group("rest")
            if len(rest) < 20:
                continue
            for sentence in SENTENCE_END.split(LEADING_NUMBER.sub("", rest)):
                sentence = re.sub(r"[（(](?:责任单位|牵头单位)[:：].*$", "", sentence).strip()
                if 15 <= len(sentence) <= 220 and not SKIP_SENTENCE.search(sentence) and sentence[-1] in "。；":
                    sentences.add(sentence.rstrip("；") + ("" if sentence.endswith("。") else "。"))
    environment = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    template = environment.from_string((DATA_DIR / "page.html.j2").read_text(encoding="utf-8"))
    ordered_sentences = sorted(sentences)
    material = Material(
        places=places, agencies=agencies, surnames=names["surnames"], given=names["given"], phrases=phrases,
        measure_titles=sorted(titles), sentences=ordered_sentences, chapter_titles=sorted(chapters),
        html_template=template,
    )
    material.numbered = {i for i, s in enumerate(ordered_sentences) if NUMBERS.search(s)}
    return material


class DocumentWriter:
    """Assembles one document from ``Material`` with its own random generator."""

    MAJOR = {"beijing", "shanghai", "tianjin", "chongqing", "guangzhou", "shenzhen", "hangzhou", "ningbo",
             "nanjing", "xiamen", "jinan", "qingdao", "wuhan", "chengdu", "xian", "shenyang", "dalian",
             "changchun", "harbin"}

    def __init__(self, index: int, seed: int, material: Material) -> None:
        self.index = index
        self.m = material
        self.p = material.phrases
        digest = hashlib.sha256(f"{seed}:{index}".encode()).hexdigest()
        self.digest = digest
        self.rng = random.Random(int(digest[:16], 16))
        self.place = self.rng.choice(material.places)
        self.year = self.rng.choice([2019, 2020, 2021, 2022, 2023, 2023, 2024, 2024, 2024, 2025])
        self.district: str | None = None
        if self.place.districts and self.rng.random() < 0.08:
            self.district = self.rng.choice(self.place.districts)
        self.unit_prefix = self.p["district_prefix"] if self.district else self.p["city_prefix"]
        self.jurisdiction = self.place.city + (self.district or "")

    # --- small pieces ---------------------------------------------------------

    def fill(self, sentence_index: int) -> str:
        sentence = self.m.sentences[sentence_index]
        sentence = sentence.replace(CITY_MARK, self.place.city[:-1]).replace(PROVINCE_MARK, self.place.province)
        if sentence_index in self.m.numbered:
            sentence = NUMBERS.sub(self._vary_number, sentence)
        return sentence

    def _vary_number(self, match: re.Match) -> str:
        if match.group("amount"):
            value = float(match.group("amount")) * self.rng.uniform(0.4, 2.5)
            number = f"{value:.1f}" if value < 10 else str(int(round(value, -1 if value > 100 else 0)))
            return number + (match.group("unit") or "") + "元"
        if match.group("year"):
            return str(self.year + int(match.group("year")) - 2024) + "年"
        return str(self.rng.choice([1, 2, 3, 5, 8, 10, 15, 20, 30, 50])) + "%"

    def amount(self, low: int, high: int) -> str:
        value = self.rng.randint(low, high)
        if value >= 10000 and value % 10000 == 0 or value >= 100000:
            return f"{round(value / 10000, 1):g}" + self.p["numbers_unit"]["yi"]
        return str(value) + self.p["numbers_unit"]["wan"]

    def date(self, year: int | None = None) -> tuple[int, int, int]:
        return (year or self.year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def cn_date(self, ymd: tuple[int, int, int]) -> str:
        return f"{ymd[0]}年{ymd[1]}月{ymd[2]}日"

    def person(self) -> str:
        return self.rng.choice(self.m.surnames) + "".join(self.rng.choice(self.m.given) for _ in range(self.rng.randint(1, 2)))

    def agency_list(self, size: int | None = None) -> str:
        count = size or self.rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6])
        chosen = self.rng.sample(self.m.agencies, count)
        carry_prefix = self.rng.random() < 0.7  # 市发改委、财政局 rather than 市发改委、市财政局
        names = [a.short if i and carry_prefix else self.unit_prefix + a.short for i, a in enumerate(chosen)]
        text = "、".join(names)
        if self.rng.random() < 0.2:
            text += "，" + self.rng.choice(self.p["collectives"])
        return text

    def bracket(self) -> tuple[str, str]:
        return self.rng.choice([("〔", "〕")] * 6 + [("[", "]")] * 3 + [("（", "）"), ("【", "】")])

    def measure_body(self, sentences: int) -> str:
        parts = [self.fill(self.rng.randrange(len(self.m.sentences))) for _ in range(sentences)]
        if self.rng.random() < 0.35:
            parts.append(self.rng.choice(self.p["amount_sentences"]).format(
                amount=self.amount(5, 1000), amount2=self.amount(10, 500), amount_small=f"{self.rng.randint(1, 50) * 100}元",
                amount_large=self.amount(10000, 500000), rate=f"{self.rng.choice([5, 10, 20, 30, 50])}%"))
        if self.rng.random() < 0.25:
            parts.append(self.rng.choice(self.p["deadline_sentences"]).format(
                year=self.year + self.rng.randint(0, 3), month=self.rng.randint(1, 12), day=self.rng.randint(1, 28),
                count=self.rng.choice([50, 100, 200, 400, 1000]), rate=f"{self.rng.choice([5, 6, 8, 10])}%"))
        return "".join(parts)

    def title_for(self, kind: str) -> str:
        topic = self.rng.choice(self.p["topics"])
        return f"{self.jurisdiction}{topic}{kind}" if self.rng.random() < 0.8 else f"{self.jurisdiction}关于{topic}的{kind}"

    # --- issuers and numbers --------------------------------------------------

    def issuers(self) -> tuple[list[str], str | None]:
        """The issuing bodies and the document number (None when unnumbered)."""
        place, rng = self.place, self.rng
        left, right = self.bracket()
        # Unique across the corpus: two documents with the same issuer series, year and number would be
        # the same document (and get the same IRI).
        serial = self.index + 1
        number = lambda code: f"{place.abbr}{code}{left}{self.year}{right}{serial}号"  # noqa: E731
        offices = self.p["issuer_office"]
        if self.district:
            return [self.jurisdiction + offices["district"]], f"{self.district[0]}政办{left}{self.year}{right}{serial}号"
        roll = rng.random()
        if roll < 0.45:
            office = offices["province_level" if place.municipality else "city_major" if place.slug in self.MAJOR else "city"]
            return [place.city + office], number(rng.choice(["政办发", "府办", "府办规", "政办"]))
        if roll < 0.55:
            return [place.city + self.p["issuer_government"]], number(rng.choice(["政", "政规", "政发"]))
        if roll < 0.8:
            agency = rng.choice([a for a in self.m.agencies if a.may_issue])
            return [place.city + agency.full], number(agency.code + rng.choice(["", "规", "发"]))
        if roll < 0.88:
            party = self.p["party_prefix"] + place.city[:-1] + "市" + self.p["issuer_office"]["party"]
            office = offices["province_level" if place.municipality else "city_major"]
            return [party, place.city + office], number("委办发")
        agencies = rng.sample([a for a in self.m.agencies if a.may_issue], rng.randint(2, 5))
        code = number(agencies[0].code + "联") if rng.random() < 0.6 else None
        return [place.city + a.full for a in agencies], code

    # --- bodies ---------------------------------------------------------------

    def measure_count(self) -> int:
        roll = self.rng.random()
        if roll < 0.4:
            return self.rng.randint(4, 10)
        if roll < 0.8:
            return self.rng.randint(11, 28)
        return self.rng.randint(29, 60)

    def responsibility(self) -> str:
        opener = self.rng.choice(self.p["responsibility_open"])
        closer = "）" if opener.startswith("（") else ""
        return opener + self.agency_list() + closer

    def body_chapters_measures(self) -> list[str]:
        """一、 chapters with continuously numbered 1. measures, each ending with its 责任单位."""
        paragraphs, n = [], 0
        total = self.measure_count()
        chapters = max(1, min(8, total // self.rng.randint(3, 5)))
        per = [total // chapters + (1 if i < total % chapters else 0) for i in range(chapters)]
        with_units = self.rng.random() < 0.75
        for c, count in enumerate(per, 1):
            paragraphs.append(f"{chinese_number(c)}、{self.rng.choice(self.m.chapter_titles)}")
            for _ in range(count):
                n += 1
                text = f"{n}. {self.rng.choice(self.m.measure_titles)}。{self.measure_body(self.rng.randint(2, 6))}"
                if with_units:
                    text += self.responsibility() if self.rng.random() < 0.9 else ""
                paragraphs.append(text)
        return paragraphs

    def body_tasks(self) -> list[str]:
        """一、 parts, （一） tasks, 1. items followed by a separate 责任单位 line."""
        paragraphs = []
        total = self.measure_count()
        parts = max(1, min(6, total // 4))
        for part in range(1, parts + 1):
            paragraphs.append(f"{chinese_number(part)}、{self.rng.choice(self.m.chapter_titles)}")
            for task in range(1, self.rng.randint(2, 5) + 1):
                paragraphs.append(f"（{chinese_number(task)}）{self.rng.choice(self.m.measure_titles)}")
                if self.rng.random() < 0.5:
                    for item in range(1, self.rng.randint(1, 4) + 1):
                        paragraphs.append(f"{item}.{self.rng.choice(self.m.measure_titles)}。{self.measure_body(self.rng.randint(2, 5))}")
                        paragraphs.append(self.p["field_labels"]["responsible"] + "：" + self.agency_list())
                else:
                    paragraphs[-1] += "。" + self.measure_body(self.rng.randint(2, 6))
                    paragraphs.append(self.p["field_labels"]["responsible"] + "：" + self.agency_list())
        return paragraphs

    def body_regulation(self) -> list[str]:
        """第X章 chapters (sometimes none) with continuously numbered 第X条 articles."""
        paragraphs, n = [], 0
        total = self.measure_count()
        chapters = 1 if self.rng.random() < 0.4 else max(2, min(7, total // 4))
        per = [total // chapters + (1 if i < total % chapters else 0) for i in range(chapters)]
        for c, count in enumerate(per, 1):
            if chapters > 1:
                paragraphs.append(f"第{chinese_number(c)}章　{self.rng.choice(self.m.chapter_titles)}")
            for _ in range(count):
                n += 1
                paragraphs.append(f"第{chinese_number(n)}条　{self.measure_body(self.rng.randint(1, 4))}")
        return paragraphs

    def body_table(self, markdown: bool) -> list[str]:
        """A task table: 序号 / task / 责任单位, grouped by 一、 parts and （一） groups."""
        header = self.p["table_header"]
        rows, n = [], 0
        if markdown:
            rows.append("| " + " | ".join(header) + " |")
            rows.append("| --- | --- | --- |")
        else:
            rows.append("\t" + "\n\t".join(header))
        total = self.measure_count()
        parts = max(1, min(5, total // 6))
        for part in range(1, parts + 1):
            heading = f"{chinese_number(part)}、{self.rng.choice(self.m.chapter_titles)}"
            rows.append(f"| {heading} | | |" if markdown else "\t" + heading)
            for group in range(1, self.rng.randint(1, 3) + 1):
                if self.rng.random() < 0.6:
                    sub = f"（{chinese_number(group)}）{self.rng.choice(self.m.measure_titles)}"
                    rows.append(f"| {sub} | | |" if markdown else "\t" + sub)
                for _ in range(max(1, total // (parts * 2))):
                    n += 1
                    task, units = self.measure_body(self.rng.randint(1, 2)), self.agency_list()
                    rows.append(f"| {n} | {task} | {units} |" if markdown else f"\t{n}\n\t{task}\n\t{units}")
        return ["\n".join(rows)] if markdown else rows

    def body_industry_blocks(self) -> list[str]:
        """Industry blocks with 牵头市领导 / 牵头单位 / 责任单位 fields, then the working mechanisms."""
        labels = self.p["field_labels"]
        paragraphs = [f"一、{self.rng.choice(self.m.chapter_titles)}"]
        heads = self.rng.sample(self.p["industry_heads"], self.rng.randint(3, 8))
        for i, head in enumerate(heads, 1):
            paragraphs.append(f"{i}. {head}")
            leaders = "、".join(self.person() for _ in range(self.rng.randint(1, 3)))
            paragraphs.append(f"{labels['leader']}：{leaders}")
            paragraphs.append(f"{labels['lead']}：{self.agency_list(self.rng.randint(1, 2))}")
            paragraphs.append(f"{labels['responsible']}：{self.agency_list()}")
        paragraphs.append(f"二、{self.rng.choice(self.m.chapter_titles)}")
        for i in range(1, self.rng.randint(3, 7) + 1):
            paragraphs.append(f"（{chinese_number(i)}）{self.rng.choice(self.m.measure_titles)}。{self.measure_body(self.rng.randint(1, 3))}")
        return paragraphs

    # --- the document -----------------------------------------------------------

    def compose(self) -> tuple[list[str], str, dict[str, str]]:
        """Return the paragraphs, the title and the metadata an HTML page would show."""
        rng, p = self.rng, self.p
        fmt_roll = rng.random()
        self.format = "html" if fmt_roll < 0.06 else "md" if fmt_roll < 0.10 else "txt"
        family = rng.choices(["measures", "plan", "regulation", "table", "mechanism"], weights=[35, 30, 18, 10, 7])[0]
        kind = rng.choice(p["kinds"][family])
        kind_short = p["kind_short"][kind]
        title = self.title_for(kind)
        issuers, number = self.issuers()
        if family == "table":
            number = number if rng.random() < 0.3 else None
        if number is None:  # an unnumbered document is told apart by its title
            title = self.p["batch_title"].format(title=title, year=self.year, batch=self.index + 1)
        signed = self.date()
        body = {
            "measures": self.body_chapters_measures,
            "plan": self.body_tasks,
            "regulation": self.body_regulation,
            "table": lambda: self.body_table(markdown=self.format == "md"),
            "mechanism": self.body_industry_blocks,
        }[family]()
        preamble = rng.choice(p["preamble"]).format(
            goal=rng.choice(p["goals"]), province=self.place.province, topic=rng.choice(p["topics"]), kind_short=kind_short)
        closing = rng.choice(p["closing"]).format(
            kind_short=kind_short, years=rng.choice([1, 2, 3, 5]), year=signed[0], month=signed[1], day=signed[2],
            year2=signed[0] + rng.randint(1, 4))
        heading = "# " if self.format == "md" else ("# " if self.format == "txt" and rng.random() < 0.1 else "")
        paragraphs: list[str] = []
        notice = family != "table" and rng.random() < 0.75
        joint_issuer = "、".join(issuers) if len(issuers) <= 2 else issuers[0] + "等"
        if notice:
            notice_title = rng.choice(p["notice_title"]).format(issuer=joint_issuer, title=title)
            if rng.random() < 0.15:
                paragraphs.append(title)  # title printed above the notice, as in the Dalian sample
            if len(issuers) == 1 and rng.random() < 0.6:
                paragraphs.append(heading + issuers[0] + "文件")
            if number:
                paragraphs.append(number)
            paragraphs.append(heading + notice_title)
            paragraphs.append(rng.choice(p["addressees"]))
            paragraphs.append(rng.choice(p["notice_body"]).format(title=title, count=rng.randint(20, 120)))
            if rng.random() < 0.3:
                paragraphs.append(p["attachment_label"] + title)
            paragraphs.append("\n".join(issuers) + ("\n" if rng.random() < 0.7 else " ") + self.cn_date(signed))
            paragraphs.append(rng.choice(p["disclosure"]))
            paragraphs.append(heading + title)
        else:
            paragraphs.append(heading + title)
            if number:
                paragraphs.append(number)
        if family != "table":
            paragraphs.append(preamble)
        paragraphs.extend(heading.replace("# ", "## ") + line if heading and CHAPTER_LINE.match(line) else line for line in body)
        paragraphs.append(closing)
        if notice and rng.random() < 0.4:
            paragraphs.append(p["related_units"] if rng.random() < 0.5 else p["cc"])
        printed = (signed[0], signed[1], min(28, signed[2] + rng.randint(0, 5)))
        if notice and rng.random() < 0.6:
            paragraphs.append(issuers[0] + "\n" + self.cn_date(printed) + p["printed_suffix"])
        elif not notice:
            paragraphs.append("\n".join(issuers) + "\n" + self.cn_date(signed))
        metadata = {
            "index_number": f"{self.digest[:9].upper()}/{self.year}-{rng.randint(1, 99999):05d}",
            "issuer": joint_issuer,
            "doc_number": number or "",
            "date_written": self.cn_date(signed),
            "date_published": self.cn_date(printed),
            "subject": rng.choice(p["subjects"]),
        }
        return paragraphs, title, metadata

    def add_debris(self, paragraphs: list[str]) -> list[str]:
        """Page-number lines and paragraphs broken across pages, as PDF conversion leaves them."""
        if self.format != "txt" or self.rng.random() >= 0.3:
            return paragraphs
        out, chars, page = [], 0, 1
        for paragraph in paragraphs:
            if len(paragraph) > 120 and self.rng.random() < 0.08:
                cut = self.rng.randint(40, len(paragraph) - 40)
                out.extend([paragraph[:cut], paragraph[cut:]])
            else:
                out.append(paragraph)
            chars += len(paragraph)
            if chars > 1400:
                page += 1
                chars = 0
                out.append(f"— {page} —")
        return out

    def render(self) -> GeneratedDocument:
        paragraphs, title, metadata = self.compose()
        paragraphs = self.add_debris(paragraphs)
        if self.rng.random() < 0.2:
            paragraphs = [para.translate(HALF_WIDTH) for para in paragraphs]
        separator = "\n" if self.rng.random() < 0.2 and self.format == "txt" else "\n\n"
        name = f"{self.index:05d}_{self.digest[16:32]}.{self.format}"
        relpath = f"{self.place.slug}/{name}"
        if self.format == "html":
            encoding = "gb18030" if self.rng.random() < 0.4 else "utf-8"
            labels = self.p["html_meta_labels"]
            page = self.m.html_template.render(
                charset="gb2312" if encoding == "gb18030" else "utf-8", title=title,
                debris=self.p["web_debris"], metadata=[(labels[k], v) for k, v in metadata.items()],
                paragraphs=paragraphs)
            text = "\n".join(paragraphs)
            return GeneratedDocument(relpath, text, page.encode(encoding), "html", encoding)
        text = separator.join(paragraphs) + "\n"
        roll = self.rng.random()
        encoding = "gb18030" if roll < 0.05 else "utf-8-sig" if roll < 0.08 else "utf-8"
        return GeneratedDocument(relpath, text, text.encode(encoding), self.format, encoding)


def generate_document(index: int, seed: int = DEFAULT_SEED, material: Material | None = None) -> GeneratedDocument:
    """Document number ``index`` of the corpus generated with ``seed``."""
    return DocumentWriter(index, seed, material or load_material()).render()


def corpus_dir(size: int, out: Path = DEFAULT_OUT) -> Path:
    return Path(out) / f"corpus-{size}"


def read_manifest(folder: Path) -> dict | None:
    path = Path(folder) / "manifest.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def generate_corpus(size: int, out: Path = DEFAULT_OUT, seed: int = DEFAULT_SEED, force: bool = False) -> Path:
    """Write the ``size``-document corpus under ``out/corpus-<size>/`` (kept when already complete)."""
    folder = corpus_dir(size, out)
    manifest = read_manifest(folder)
    if manifest and not force and manifest.get("seed") == seed and manifest.get("documents") == size \
            and manifest.get("generator") == generator_fingerprint():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    docs = folder / "docs"
    material = load_material()
    files, total_chars, total_bytes = [], 0, 0
    made_dirs: set[str] = set()
    started = time.perf_counter()
    for index in range(size):
        document = generate_document(index, seed, material)
        subdir = document.relpath.split("/")[0]
        if subdir not in made_dirs:
            (docs / subdir).mkdir(parents=True, exist_ok=True)
            made_dirs.add(subdir)
        (docs / document.relpath).write_bytes(document.data)
        files.append({"path": document.relpath, "format": document.format, "encoding": document.encoding,
                      "chars": len(document.text), "bytes": len(document.data)})
        total_chars += len(document.text)
        total_bytes += len(document.data)
    manifest = {
        "documents": size, "seed": seed, "generator": generator_fingerprint(),
        "chars": total_chars, "bytes": total_bytes, "seconds": round(time.perf_counter() - started, 3),
        "files": files,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=0), encoding="utf-8")
    return folder


@cache
def generator_fingerprint() -> str:
    """A hash of this module and its data, so a stale corpus is regenerated."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(DATA_DIR.iterdir()):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise SystemExit(f"error: --sizes must be comma-separated integers, got {text!r}") from None
    if not sizes or any(size <= 0 for size in sizes):
        raise SystemExit(f"error: --sizes must be positive integers, got {text!r}")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder that receives corpus-N/")
    parser.add_argument("--force", action="store_true", help="regenerate even when the corpus is up to date")
    args = parser.parse_args(argv)
    for size in parse_sizes(args.sizes):
        started = time.perf_counter()
        folder = generate_corpus(size, args.out, args.seed, args.force)
        manifest = read_manifest(folder) or {}
        print(f"{folder}: {size} documents, {manifest.get('chars', 0):,} chars, "
              f"{manifest.get('bytes', 0) / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
