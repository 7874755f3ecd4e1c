"""A real inbox through `jixiao run`: good documents beside every kind of bad input (issue 14).

One year's inbox holds three good documents of the generated sample corpus (two forms and
a third-party report under a GBK file name) and more than twenty bad entries made here:
empty, binary, damaged, encrypted, scanned, foreign, PDF bomb, damaged xref, NUL bytes,
undecodable text, a form filed under the wrong year, a link to /etc/passwd, a link loop, a
dangling link, a FIFO, a folder named ``*.pdf``, odd names, a 0600 file of another user.
The run must end 0, load every good file, name every bad one with its true reason, and
stay within bounded memory. A second run then loads a corrected file while another
process holds the warehouse open read-only, as a notebook does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.generated import CITY, DISTRICT, REPORT, truth, write_corrected_form
from tests.jixiao_run import run_environment, with_migrated_airflow
from tests.test_bad_inbox import bomb_pdf
from tests.test_extract_bad_inputs import CASES

GBK_REPORT = "荔湾区-第三方评价报告.pdf".encode("gbk")
LIMITS = {
    "JIXIAO_EXTRACT_MAX_MEMORY_MB": "200",
    "JIXIAO_EXTRACT_TIMEOUT_SECONDS": "60",
    "JIXIAO_LOCK_TIMEOUT_SECONDS": "300",
}
PEAK_MB_BOUND = 900  # the bomb alone needs > 2 GB unbounded

# file name (in inbox/2021 unless it starts with a year folder) -> expected error code
EXPECTED_CODES: dict[str, str] = {name: code for name, _, code in CASES}
EXPECTED_CODES.update(
    {
        "bomb.pdf": "resource_limit",
        "xref.pdf": "corrupt_pdf",
        "nul-late.txt": "nul_bytes",
        "latin1.txt": "undecodable_text",
        "passwd.pdf": "outside_inbox",
        "tab\\tand\\nnewline.txt": "unrecognised_document",  # shown escaped
        "letter.docx": "not_a_pdf",
        "2022/panyu-filed-late.pdf": "fiscal_year_mismatch",
        "other-users.pdf": "unreadable_file",
    }
)
# Root reads any file. As root the run gets no DAC override (setpriv drops the
# capabilities), so a 0600 file of another user is as unreadable as in production.
AS_IN_PRODUCTION = (
    [
        "setpriv",
        "--inh-caps=-dac_override,-dac_read_search",
        "--bounding-set=-dac_override,-dac_read_search",
    ]
    if os.geteuid() == 0
    else []
)
if os.geteuid() == 0 and not shutil.which("setpriv"):
    del EXPECTED_CODES["other-users.pdf"]
EXPECTED_SKIPS = {
    "pipe.pdf": "a named pipe (FIFO)",
    "loop.pdf": "a symbolic link loop",
    "gone.pdf": "a dangling symbolic link",
    "folder.pdf": "a folder named like a document",
}


def _damaged_xref() -> bytes:
    pdf = bytearray(bomb_pdf(10))
    pdf[pdf.index(b"xref") :] = b"xref\n0 9\nGARBAGE\ntrailer\n<< /Size 9 >>\nstartxref\n1\n%%EOF\n"
    return bytes(pdf).replace(b"/Type /Pages", b"/Type /Pagez")


def build_inbox(inbox: Path, sample_corpus: Path) -> None:
    """Write the good and bad entries into ``inbox`` (fiscal years 2021 and 2022)."""
    year = inbox / "2021"
    year.mkdir(parents=True)
    (inbox / "2022").mkdir()
    for name, form in (("panyu.pdf", DISTRICT), ("city.pdf", CITY)):
        shutil.copy(sample_corpus / form, year / name)
    with open(os.path.join(os.fsencode(year), GBK_REPORT), "wb") as handle:
        handle.write((sample_corpus / REPORT).read_bytes())
    sample = bomb_pdf(50)
    for name, make, _ in CASES:
        make(year / name, sample)
    (year / "bomb.pdf").write_bytes(bomb_pdf(600_000))
    (year / "xref.pdf").write_bytes(_damaged_xref())
    (year / "nul-late.txt").write_bytes("部门整体支出绩效自评表\n".encode() * 400 + b"\x00tail")
    (year / "latin1.txt").write_bytes("Évaluation à 100 %".encode("latin-1") * 50)
    (year / "passwd.pdf").symlink_to("/etc/passwd")
    (year / "tab\tand\nnewline.txt").write_text("会议通知\n", encoding="utf-8")
    (year / "letter.docx").write_bytes(b"PK\x03\x04" + bytes(600))
    (year / "city-link.pdf").symlink_to(year / "city.pdf")  # inside the inbox: same file
    if "other-users.pdf" in EXPECTED_CODES:
        other = year / "other-users.pdf"
        other.write_bytes(sample)
        if os.geteuid() == 0:
            os.chown(other, 65534, 65534)  # nobody's
        other.chmod(0o600 if os.geteuid() == 0 else 0)
    # a corrected 2021 form (it prints 2021) put in the 2022 folder
    write_corrected_form(sample_corpus / DISTRICT, inbox / "2022" / "panyu-filed-late.pdf", "0.47")
    os.mkfifo(year / "pipe.pdf")
    (year / "loop.pdf").symlink_to(year / "loop.pdf")
    (year / "gone.pdf").symlink_to(year / "nowhere.pdf")
    (year / "folder.pdf").mkdir()


RUN_AND_MEASURE = """
import json, resource, subprocess, sys
proc = subprocess.run(sys.argv[2:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
json.dump({"rc": proc.returncode, "out": proc.stdout, "err": proc.stderr, "peak_mb": peak},
          open(sys.argv[1], "w"))
"""


def run_measured(inbox: Path, home: Path, extra: dict[str, str]) -> dict[str, Any]:
    """Run `jixiao run` in a fresh process; return rc, stdout, stderr and the peak RSS of the
    run and every process it started (the largest one, in MB)."""
    with_migrated_airflow(home)
    result = home / f"measured-{time.monotonic_ns()}.json"
    command = [*AS_IN_PRODUCTION, sys.executable, "-m", "jixiao.cli", "run", "--inbox", str(inbox)]
    subprocess.run(
        [sys.executable, "-c", RUN_AND_MEASURE, str(result), *command],
        env=run_environment(home, {**LIMITS, **extra}),
        timeout=900,
        check=True,
    )
    return json.loads(result.read_text(encoding="utf-8"))


def _summary(outcome: dict[str, Any]) -> dict[str, Any]:
    assert outcome["rc"] == 0, outcome["err"][-4000:] + outcome["out"][-2000:]
    return json.loads(outcome["out"].strip().splitlines()[-1])


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("bad-inbox")
    inbox, home = root / "inbox", root / "home"
    build_inbox(inbox, sample_corpus)
    outcome = run_measured(inbox, home, {})
    return {
        "inbox": inbox,
        "home": home,
        "outcome": outcome,
        "summary": _summary(outcome),
        "district": truth(sample_corpus / DISTRICT)["document"]["department"],
        "district_total": truth(sample_corpus / DISTRICT)["totals"]["total_score"],
        "city": sample_corpus / CITY,
    }


def _codes_by_file(warehouse: str, inbox: Path) -> dict[str, set[str]]:
    with duckdb.connect(warehouse, read_only=True) as con:
        rows = con.execute(
            "select s.path, i.code from raw.submissions s "
            "join raw.extraction_issues i using (sha256) "
            "where s.status = 'quarantined' and i.severity = 'error'"
        ).fetchall()
    found: dict[str, set[str]] = {}
    for path, code in rows:
        relative = Path(path).relative_to(inbox).as_posix()
        key = relative.removeprefix("2021/")
        found.setdefault(key, set()).add(code)
    return found


def test_every_good_file_loads_and_every_bad_one_is_named_with_its_reason(
    first_run: dict[str, Any],
) -> None:
    summary, inbox = first_run["summary"], first_run["inbox"]
    assert len(EXPECTED_CODES) + len(EXPECTED_SKIPS) >= 20
    assert summary["loaded"] == 3
    codes = _codes_by_file(summary["warehouse"], inbox)
    assert {
        name: code for name, code in EXPECTED_CODES.items() if code not in codes.get(name, ())
    } == {}
    assert set(codes) == set(EXPECTED_CODES)
    assert summary["quarantined"] == len(EXPECTED_CODES)
    skipped = {Path(e["path"]).name: e["reason"] for e in summary["skipped_files"]}
    for name, reason in EXPECTED_SKIPS.items():
        assert skipped[name].startswith(reason), skipped
    reasons = {Path(f["path"]).name: f["reason"] for f in summary["quarantined_files"]}
    assert "prints fiscal year 2021" in reasons["panyu-filed-late.pdf"]
    assert "200 MB (JIXIAO_EXTRACT_MAX_MEMORY_MB)" in reasons["bomb.pdf"]
    assert "/etc/passwd" in reasons["passwd.pdf"] and "root:" not in json.dumps(summary)


def test_a_name_that_is_not_utf8_is_loaded_and_shown_escaped(first_run: dict[str, Any]) -> None:
    escaped = GBK_REPORT.decode("utf-8", "backslashreplace")
    with duckdb.connect(first_run["summary"]["warehouse"], read_only=True) as con:
        rows = con.execute(
            "select status, family from raw.submissions where file_name = ?", [escaped]
        ).fetchall()
    assert rows == [("loaded", "evaluation_report")]


def test_the_wrong_year_folder_never_replaces_the_right_years_data(
    first_run: dict[str, Any],
) -> None:
    with duckdb.connect(first_run["summary"]["warehouse"], read_only=True) as con:
        rows = con.execute(
            "select fiscal_year, total_score from marts.fct_department_year where department = ?",
            [first_run["district"]],
        ).fetchall()
    assert [(year, round(float(score), 2)) for year, score in rows] == [
        (2021, first_run["district_total"])
    ]


def test_the_runs_peak_memory_stays_bounded(first_run: dict[str, Any]) -> None:
    assert first_run["outcome"]["peak_mb"] < PEAK_MB_BOUND, first_run["outcome"]["peak_mb"]


READER_UNTIL_A_WRITER_WAITS = """
import fcntl, pathlib, sys, time, duckdb
warehouse, lock = sys.argv[1], sys.argv[1] + ".lock"
con = duckdb.connect(warehouse, read_only=True)  # what a notebook does
pathlib.Path(warehouse + ".reader-open").touch()
held_since, deadline = None, time.monotonic() + 240
while time.monotonic() < deadline:  # stay open until a writer has waited 4 s for us
    with open(lock, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(handle, fcntl.LOCK_UN)
            held_since = None
        except BlockingIOError:
            held_since = held_since or time.monotonic()
    if held_since and time.monotonic() - held_since > 4:
        break
    time.sleep(0.2)
"""


def test_a_load_waits_for_a_reader_holding_the_warehouse_open(first_run: dict[str, Any]) -> None:
    inbox, home = first_run["inbox"], first_run["home"]
    warehouse = Path(first_run["summary"]["warehouse"])
    # the city form again, one byte longer (a newline after %%EOF): a new version
    (inbox / "2021" / "city-resent.pdf").write_bytes(first_run["city"].read_bytes() + b"\n")
    ready = Path(f"{warehouse}.reader-open")
    reader = subprocess.Popen([sys.executable, "-c", READER_UNTIL_A_WRITER_WAITS, str(warehouse)])
    try:
        while not ready.exists():
            assert reader.poll() is None, "the reader did not open the warehouse"
            time.sleep(0.05)
        outcome = run_measured(inbox, home, {})
    finally:
        reader.kill()
        reader.wait()
    summary = _summary(outcome)
    assert summary["loaded"] == 1
    logs = outcome["out"] + outcome["err"]  # Airflow's task logs, as `jixiao run` prints them
    assert f"load_raw: the warehouse {warehouse} is open in PID {reader.pid}" in logs
    assert "(a reader?); waiting" in logs
