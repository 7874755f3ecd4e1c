"""Scanned submissions read by OCR, on scans made here from the project's own sample PDFs.

Every scan is made at test time (tests/scan_maker.py): pages rendered at 150–200 dpi,
turned up to a degree, blurred, noisy, a red seal stamped over the first page's table, and
saved as an image-only PDF. The same reader as for text PDFs must then give the same record,
except where it flags a value.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pypdfium2
import pytest
from PIL import Image

from jixiao.extract import issues as codes
from jixiao.extract.api import extract_file, extract_with_evidence
from jixiao.extract.bounded import Limits, extract_bounded
from jixiao.extract.ocr_confidence import flag_low_confidence
from jixiao.extract.ocr_engine import OcrChar, OcrLine
from jixiao.extract.page_words import PageLayout, Rule, Word
from jixiao.extract.record import empty_record
from jixiao.extract.scan_image import drop_seal_ink, rules_of, skew_of, straighten
from jixiao.extract.scan_pages import is_seal_lettering, words_of_line
from jixiao_devtools.accuracy import compare
from tests.jixiao_run import run
from tests.scan_maker import ScanStyle, scan_page, scan_pdf

FORM = "2022/gz-swj.pdf"  # a two-page Guangzhou form of the sample corpus
NARRATIVE = "2022/gz-mzj-narrative.pdf"  # a one-page self-evaluation report
FIELD_ACCURACY = 0.95


def _truth(pdf: Path) -> dict[str, Any]:
    return json.loads(pdf.with_suffix(".truth.json").read_text("utf-8"))


def _accuracy(record: dict[str, Any], truth: dict[str, Any]) -> float:
    scores = compare(record, truth).values()
    right = sum(score.tp for score in scores)
    return right / max(1, sum(score.tp + score.fn for score in scores))


@pytest.fixture(scope="module")
def scans(sample_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Scanned copies of a form (greyscale, seal, +0.8°) and a report (colour, 150 dpi)."""
    folder = tmp_path_factory.mktemp("scans")
    return {
        "form": scan_pdf(sample_corpus / FORM, folder / "form.pdf", ScanStyle(degrees=0.8)),
        "narrative": scan_pdf(
            sample_corpus / NARRATIVE,
            folder / "narrative.pdf",
            ScanStyle(dpi=150, degrees=-0.9, colour=True, seal_at=(0.5, 0.3)),
        ),
    }


@pytest.fixture(scope="module")
def scanned_form(scans: dict[str, Path]) -> tuple[dict[str, Any], Any]:
    record, evidence = extract_with_evidence(scans["form"])
    return record, evidence  # type: ignore[return-value]


def test_scans_hold_no_text_layer(scans: dict[str, Path]) -> None:
    import pdfplumber

    for path in scans.values():
        with pdfplumber.open(path) as pdf:
            assert all(not page.chars for page in pdf.pages)


def test_a_scanned_form_reads_like_its_text_pdf(
    scanned_form: tuple[dict[str, Any], Any], sample_corpus: Path
) -> None:
    record, evidence = scanned_form
    truth = _truth(sample_corpus / FORM)
    assert record["source"]["ocr"] is True
    assert _accuracy(record, truth) >= FIELD_ACCURACY
    assert [page.layout.number for page in evidence.scanned] == [1, 2]
    assert all(abs(page.skew_degrees + 0.8) <= 0.15 for page in evidence.scanned)
    assert [i["code"] for i in record["issues"] if i["severity"] == "error"] == []
    assert any(i["code"] == codes.READ_BY_OCR for i in record["issues"])


def test_pages_scanned_sideways_or_upside_down_are_stood_up(
    sample_corpus: Path, tmp_path: Path
) -> None:
    """Page 1 fed a quarter turn counter-clockwise, page 2 upside down: each is stood up
    (three quarter turns back, two) before its words are read, and the form reads as well
    as an upright scan; the record and inspect say so."""
    from jixiao.extract.inspect_file import format_inspection, inspection

    style = ScanStyle(degrees=0.5, quarter_turns=(1, 2), seal=False)
    scan = scan_pdf(sample_corpus / FORM, tmp_path / "turned.pdf", style)
    record, evidence = extract_with_evidence(scan)
    assert [page.quarter_turns for page in evidence.scanned] == [3, 2]
    assert _accuracy(record, _truth(sample_corpus / FORM)) >= FIELD_ACCURACY
    (read,) = [i for i in record["issues"] if i["code"] == codes.READ_BY_OCR]
    assert "p.1-2 scanned sideways or upside down, stood up" in read["message"]
    shown = format_inspection(inspection(record, evidence))
    assert "OCR p.1     stood up (270°)" in shown and "OCR p.2     stood up (180°)" in shown


def _differences(text: dict[str, Any], scan: dict[str, Any]) -> list[tuple[str, int, str]]:
    """Return (section, row index, key) of every value the scan reads differently."""
    found = []
    for section in ("indicators", "budget_lines", "projects"):
        assert len(scan[section]) == len(text[section]), section
        for index, (want, got) in enumerate(zip(text[section], scan[section], strict=True)):
            found.extend(
                (section, index, key) for key in want if key != "page" and want[key] != got[key]
            )
    totals = text["totals"]
    found.extend(("totals", 0, key) for key in totals if totals[key] != scan["totals"][key])
    return found


def _is_flagged(scan: dict[str, Any], section: str, index: int, key: str) -> bool:
    """True when a warning names the value's row (its field) or the value's page."""
    warnings = [i for i in scan["issues"] if i["severity"] == "warning"]
    if section == "totals":
        return any(i["code"] != codes.OCR_LOW_CONFIDENCE for i in warnings)  # a sum check
    row = scan[section][index]
    name = row.get("level3") or row.get("item") or row.get("name")
    return any(
        (i.get("field") or "").startswith(f"{section}.")
        and str(name) in (i.get("field") or "")
        or (i["page"] == row["page"] and i["code"] != codes.OCR_LOW_CONFIDENCE)
        for i in warnings
    )


def test_what_a_scan_reads_differently_from_its_text_pdf_is_flagged(
    scanned_form: tuple[dict[str, Any], Any], sample_corpus: Path
) -> None:
    record, _ = scanned_form
    text = extract_file(sample_corpus / FORM)
    assert text["source"]["ocr"] is False
    assert text["document"] == record["document"]
    unflagged = [
        difference
        for difference in _differences(text, record)
        if not _is_flagged(record, *difference)
    ]
    assert unflagged == []


def test_every_ocr_number_keeps_its_confidence(scanned_form: tuple[dict[str, Any], Any]) -> None:
    record, _ = scanned_form
    values = record["ocr_values"]
    scored = [row for row in record["indicators"] if row["score"] is not None]
    assert len(values) >= len(scored)
    assert all(0.0 <= value["confidence"] <= 1.0 and value["page"] in (1, 2) for value in values)
    traced = {value["field"] for value in values}
    assert all(f"indicators.{row['level3']}.score" in traced for row in scored)


def test_a_colour_scan_of_a_report_reads_like_its_text_pdf(
    scans: dict[str, Path], sample_corpus: Path
) -> None:
    record, evidence = extract_with_evidence(scans["narrative"])
    text = extract_file(sample_corpus / NARRATIVE)
    assert record["document"]["family"] == text["document"]["family"] == "self_evaluation_report"
    assert evidence.scanned[0].seal_pixels > 0  # the red seal was taken out by colour
    assert _accuracy(record, _truth(sample_corpus / NARRATIVE)) >= FIELD_ACCURACY


def test_a_scan_over_the_ocr_page_limit_is_quarantined_without_reading(
    scans: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_OCR_MAX_PAGES", "1")
    record = extract_file(scans["form"])
    errors = [i for i in record["issues"] if i["severity"] == "error"]
    assert [i["code"] for i in errors] == [codes.TOO_MANY_PAGES]
    assert "form.pdf" in errors[0]["message"] and "JIXIAO_OCR_MAX_PAGES" in errors[0]["message"]
    monkeypatch.setenv("JIXIAO_OCR_MAX_PAGES", "0")
    record = extract_file(scans["form"])
    assert [i["code"] for i in record["issues"]] == [codes.NO_TEXT_LAYER]
    assert "OCR is off" in record["issues"][0]["message"]


def test_a_scan_over_its_time_budget_is_quarantined_naming_the_ocr_budget(
    scans: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_OCR_SECONDS_PER_PAGE", "0.5")
    path = scans["form"]
    record = extract_bounded(lambda: extract_file(path), str(path), "x", Limits(1.0, 0, 0))
    (error,) = record["issues"]
    assert error["code"] == codes.RESOURCE_LIMIT
    assert "more than 2 s" in error["message"]  # 1 s + 2 pages × 0.5 s
    assert "JIXIAO_OCR_SECONDS_PER_PAGE" in error["message"]


def test_ocr_runs_with_the_network_cut(tmp_path: Path) -> None:
    """The models come inside the wheel: OCR works in a network namespace with no link."""
    if shutil.which("unshare") is None:
        pytest.fail("unshare (util-linux) is needed to cut the network for this test")
    image = tmp_path / "line.png"
    page = Image.new("RGB", (900, 140), "white")
    from PIL import ImageDraw

    from tests.scan_maker import _font

    ImageDraw.Draw(page).text((20, 30), "全年预算数 87733.62", fill="black", font=_font(56))
    page.save(image)
    code = (
        "import sys, numpy as np; from PIL import Image;"
        "from jixiao.extract.ocr_engine import recognise;"
        "grey = np.asarray(Image.open(sys.argv[1]).convert('L'));"
        "print('|'.join(line.text for line in recognise(grey)))"
    )
    done = subprocess.run(
        ["unshare", "-rn", sys.executable, "-c", code, str(image)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "87733.62" in done.stdout


# ---------- the parts, on synthetic input (no OCR model needed)


def _line(pieces: list[tuple[str, float, float]], confidence: float = 0.99) -> OcrLine:
    chars = tuple(OcrChar(text, confidence, x0, x1, 100.0, 130.0) for text, x0, x1 in pieces)
    left, right = pieces[0][1], pieces[-1][2]
    quad = [[left, 100.0], [right, 100.0], [right, 130.0], [left, 130.0]]
    return OcrLine(quad, "".join(text for text, _, _ in pieces), confidence, chars)


def test_an_ocr_line_is_cut_at_a_rule_and_at_a_wide_gap() -> None:
    line = _line([("全", 0, 30), ("年", 30, 60), ("8", 64, 80), ("7", 80, 96), ("5", 300, 316)])
    scale = 0.5  # points per pixel
    rule = Rule(31.0, 31.0, 40.0, 80.0)  # between 年 (x1 = 30 pt) and 8 (x0 = 32 pt)
    words = words_of_line(line, [rule], scale, page=3)
    assert [word.text for word in words] == ["全年", "87", "5"]
    assert words[1].x0 == 32.0 and words[1].page == 3 and words[1].confidence == 0.99
    assert [w.text for w in words_of_line(line, [], scale, page=3)] == ["全年87", "5"]


def test_turned_lines_are_a_seals_lettering_and_single_characters_may_wobble() -> None:
    def quad_line(corners: list[list[float]]) -> OcrLine:
        return OcrLine(corners, "x", 0.9, ())

    assert is_seal_lettering(quad_line([[0, 0], [200, 40], [195, 70], [-5, 30]]))  # 11°, long
    assert not is_seal_lettering(quad_line([[0, 0], [200, 2], [200, 32], [0, 30]]))
    assert not is_seal_lettering(quad_line([[893, 679], [913, 682], [908, 707], [888, 704]]))
    assert is_seal_lettering(quad_line([[0, 0], [20, 15], [5, 35], [-15, 20]]))  # 37°


def test_low_confidence_numbers_are_flagged_by_file_page_and_cell() -> None:
    record = empty_record("x.pdf", "0" * 64, "application/pdf")
    record["indicators"] = [
        {
            "level1": "产出", "level1_points": None, "level2": "数量", "level2_points": None,
            "level3": "培训人次", "points": 5.0, "score": 4.5, "target": None, "actual": None,
            "page": 2,
        }
    ]  # fmt: skip
    record["totals"]["total_score"] = 91.5
    words = [
        Word("5", 300, 305, 100, 110, 2, confidence=0.99),
        Word("4.5分", 400, 420, 100, 110, 2, confidence=0.61),
        Word("91.5", 400, 420, 500, 510, 2, confidence=0.97),
        Word("4.5", 400, 420, 100, 110, 1, confidence=0.2),  # another page: not this cell
    ]
    layout = PageLayout(2, 800, 600, words)
    flag_low_confidence(record, [layout, PageLayout(1, 800, 600, [words[3]])], 0.8, "x.pdf")
    by_field = {value["field"]: value for value in record["ocr_values"]}
    assert by_field["indicators.培训人次.score"]["confidence"] == 0.61
    assert by_field["totals.total_score"]["confidence"] == 0.97
    (flag,) = [i for i in record["issues"] if i["code"] == codes.OCR_LOW_CONFIDENCE]
    assert flag["page"] == 2 and flag["field"] == "indicators.培训人次.score"
    assert flag["observed"] == 4.5 and flag["message"].startswith("x.pdf p.2: ")


def _page_pixels(sample_corpus: Path) -> np.ndarray:
    pdf = pypdfium2.PdfDocument(str(sample_corpus / FORM))
    try:
        bitmap = pdf[0].render(scale=150 / 72)
        image = bitmap.to_pil().convert("RGB")
    finally:
        pdf.close()
    return np.asarray(image)


@pytest.mark.parametrize("degrees", [-4.5, -1.0, -0.35, 0.0, 0.6, 1.0, 4.0])
def test_skew_is_measured_and_straightened(sample_corpus: Path, degrees: float) -> None:
    page = Image.fromarray(_page_pixels(sample_corpus))
    turned = np.asarray(page.rotate(degrees, fillcolor="white").convert("L"))
    angle = skew_of(turned)
    assert math.isclose(angle, -degrees, abs_tol=0.1)
    assert abs(skew_of(straighten(turned, angle))) <= 0.1


def test_a_red_seal_is_removed_and_the_rules_under_it_survive(sample_corpus: Path) -> None:
    pixels = _page_pixels(sample_corpus)
    clean_rules = rules_of(drop_seal_ink(pixels)[0], 150)
    style = ScanStyle(dpi=150, degrees=0.0, colour=True, blur=0.0, noise=0.0, seal_at=(0.5, 0.5))
    sealed = np.asarray(scan_page(Image.fromarray(pixels), style, 1))
    grey, removed = drop_seal_ink(sealed)
    assert removed > 5000
    found = rules_of(grey, 150)
    assert len(found) >= len(clean_rules) - 1
    longest = max(rule.x1 - rule.x0 for rule in clean_rules)
    assert max(rule.x1 - rule.x0 for rule in found) >= longest - 2


# ---------- a mixed inbox through the whole pipeline


def test_an_inbox_of_text_pdfs_and_scans_loads_both_with_ocr_visible(
    tmp_path: Path, sample_corpus: Path, scans: dict[str, Path]
) -> None:
    inbox = tmp_path / "inbox" / "2022"
    inbox.mkdir(parents=True)
    for name in ("gz-fgw.pdf", "tianhe-jyj.pdf"):
        shutil.copy(sample_corpus / "2022" / name, inbox / name)
    shutil.copy(scans["form"], inbox / "gz-swj-scan.pdf")
    home = tmp_path / "home"
    summary = run(
        tmp_path / "inbox", home, "--year", "2022", env={"JIXIAO_OCR_MIN_CONFIDENCE": "0.9999"}
    )
    assert summary["quarantined"] == 0 and summary["loaded"] == 3
    with duckdb.connect(summary["warehouse"], read_only=True) as con:
        rows = con.execute(
            "select department, source_ocr, count(*) over (partition by department) "
            "from marts.fct_department_year where fiscal_year = 2022 order by department"
        ).fetchall()
        flags = con.execute(
            "select field, observed, page from raw.extraction_issues "
            "where code = 'ocr_low_confidence'"
        ).fetchall()
    assert len(rows) == 3 and all(count == 1 for _, _, count in rows)
    ocr = {department: source_ocr for department, source_ocr, _ in rows}
    assert sorted(ocr.values()) == [False, False, True]
    assert flags and all(field and page for field, _, page in flags)
    assert any(observed is not None for _, observed, _ in flags)  # numbers carry the value
