"""What a real inbox holds besides good documents, stage by stage (issue 14).

Names that are not UTF-8, unreadable files, links out of the inbox and link loops,
FIFOs, folders named like documents, PDF bombs (per-file time and memory bounds), NUL
bytes, damaged cross-reference tables, forms filed under the wrong year, and readers
holding the warehouse open. The whole corpus through `jixiao run` is in
``tests/test_bad_inbox_run.py``.
"""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
import textwrap
import threading
import time
import zlib
from pathlib import Path

import duckdb
import pytest

from jixiao.extract.api import extract_file
from jixiao.extract.bounded import Limits, extract_bounded
from jixiao.locking import WarehouseBusy, connect_writable, wait_for_readers
from jixiao.stages import discover as discover_module
from jixiao.stages.discover import discover, os_path_of, scan_folder
from jixiao.stages.extract import read_inbox_file
from jixiao.stages.load import load_envelope_data
from tests.test_load import _record

GBK_NAME = "财政局-自评表.pdf".encode("gbk")


def bomb_pdf(operators: int) -> bytes:
    """Return a one-page PDF whose content stream inflates to ``operators`` line drawings."""
    stream = zlib.compress(b"0 0 m 100 100 l S\n" * operators, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _inbox(tmp_path: Path) -> Path:
    year = tmp_path / "inbox" / "2023"
    year.mkdir(parents=True)
    return year


def test_a_name_that_is_not_utf8_is_discovered_shown_escaped_and_read(tmp_path: Path) -> None:
    year = _inbox(tmp_path)
    real = os.path.join(os.fsencode(year), GBK_NAME)
    with open(real, "wb") as handle:
        handle.write("2023年度 部门整体支出绩效自评表\n".encode())
    found = discover(tmp_path / "inbox", tmp_path / "w.duckdb")
    [item] = found.new_files
    assert item.path.endswith("\\xb2\\xc6\\xd5\\xfe\\xbe\\xd6-\\xd7\\xd4\\xc6\\xc0\\xb1\\xed.pdf")
    item.path.encode("utf-8")  # storable and printable: no surrogates
    assert os.fsencode(os_path_of(item.to_dict())) == real
    record = read_inbox_file(item.to_dict(), Limits(0, 0))
    assert record["source"]["path"] == item.path
    assert record["source"]["sha256"] == item.sha256  # the real bytes were read


def test_control_characters_in_a_name_are_shown_escaped_on_one_line(tmp_path: Path) -> None:
    year = _inbox(tmp_path)
    (year / "a\nb\tc\u200b.txt").write_text("x", encoding="utf-8")
    [item] = discover(tmp_path / "inbox", tmp_path / "w.duckdb").new_files
    assert item.path.endswith("a\\nb\\tc\\u200b.txt")
    assert os_path_of(item.to_dict()).endswith("a\nb\tc\u200b.txt")
    record = read_inbox_file(item.to_dict(), Limits(0, 0))
    assert record["source"]["sha256"] == item.sha256


def test_links_fifos_and_document_named_folders_are_handled_with_a_word(tmp_path: Path) -> None:
    year = _inbox(tmp_path)
    (year / "good.txt").write_text("x", encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the warehouse", encoding="utf-8")
    (year / "out.pdf").symlink_to(outside)
    (year / "loop-a").symlink_to(year / "loop-b")
    (year / "loop-b").symlink_to(year / "loop-a")
    (year / "dangling.pdf").symlink_to(year / "nowhere.pdf")
    (year / "sub").mkdir()
    (year / "sub" / "back").symlink_to(year)  # a folder link: never followed (no cycle)
    (year / "sub" / "good-link.txt").symlink_to(year / "good.txt")
    os.mkfifo(year / "pipe.pdf")
    (year / "folder.pdf").mkdir()
    (year / "folder.pdf" / "inner.txt").write_text("y", encoding="utf-8")

    # opening the FIFO would block for ever (it has no writer): a hang, not a slow scan
    scans: list = []
    scan = threading.Thread(
        target=lambda: scans.append(discover(tmp_path / "inbox", tmp_path / "w.duckdb")),
        daemon=True,
    )
    scan.start()
    scan.join(timeout=600)
    assert not scan.is_alive(), "discover blocked: it opened the FIFO"
    [found] = scans

    reasons = {Path(entry["path"]).name: entry["reason"] for entry in found.skipped}
    assert reasons["pipe.pdf"].startswith("a named pipe (FIFO)")
    assert reasons["loop-a"].startswith("a symbolic link loop")
    assert reasons["dangling.pdf"].startswith("a dangling symbolic link")
    assert reasons["folder.pdf"].startswith("a folder named like a document")
    assert "folder" in reasons["back"]
    files = {Path(item.path).name: item for item in found.new_files}
    assert set(files) == {"good.txt", "out.pdf", "inner.txt"}  # good-link.txt: same bytes
    assert found.skipped_unchanged == 1
    link = files["out.pdf"]
    assert link.path == str(year / "out.pdf")  # the link's own path, not its target's
    assert link.problem is not None and link.problem["code"] == "outside_inbox"
    record = read_inbox_file(link.to_dict(), Limits(0, 0))
    assert [i["code"] for i in record["issues"]] == ["outside_inbox"]
    assert "not for the warehouse" not in str(record)


def test_an_unreadable_file_is_quarantined_with_the_os_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # tests run as root, which reads any 0600 file: the open is made to fail as it would
    year = _inbox(tmp_path)
    (year / "ok.txt").write_text("ok", encoding="utf-8")
    locked = year / "locked.pdf"
    locked.write_bytes(b"%PDF-1.4 someone else's")
    real_sha = discover_module.sha256_of

    def sha_or_denied(path: Path) -> str:
        if path.name == "locked.pdf":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_sha(path)

    monkeypatch.setattr(discover_module, "sha256_of", sha_or_denied)
    found = discover(tmp_path / "inbox", tmp_path / "w.duckdb")
    item = next(f for f in found.new_files if f.path.endswith("locked.pdf"))
    assert item.problem is not None and item.problem["code"] == "unreadable_file"
    assert "Permission denied" in item.problem["message"]
    assert item.sha256 != hashlib.sha256(locked.read_bytes()).hexdigest()
    record = read_inbox_file(item.to_dict(), Limits(0, 0))
    assert record["issues"][0]["code"] == "unreadable_file"
    # the same file readable later has its real hash: it is extracted then
    monkeypatch.setattr(discover_module, "sha256_of", real_sha)
    again = discover(tmp_path / "inbox", tmp_path / "w.duckdb")
    assert next(f for f in again.new_files if f.path.endswith("locked.pdf")).problem is None


def test_a_file_gone_before_extraction_is_unreadable_not_changed(tmp_path: Path) -> None:
    year = _inbox(tmp_path)
    gone = year / "gone.txt"
    gone.write_text("x", encoding="utf-8")
    [item] = discover(tmp_path / "inbox", tmp_path / "w.duckdb").new_files
    gone.unlink()
    record = read_inbox_file(item.to_dict(), Limits(0, 0))
    assert [i["code"] for i in record["issues"]] == ["unreadable_file"]
    assert record["source"]["sha256"] == item.sha256


def test_a_pdf_bomb_is_stopped_at_the_memory_limit(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(bomb_pdf(40_000))  # 14 KB inflating to 0.7 MB of operators, ~90 MB read
    # no time bound: only the memory bound can stop it, however slow the machine
    record = extract_bounded(lambda: extract_file(bomb), str(bomb), "s", Limits(0, 48))
    [only] = record["issues"]
    assert only["code"] == "resource_limit"
    assert "more than 48 MB (JIXIAO_EXTRACT_MAX_MEMORY_MB)" in only["message"]


def test_a_stream_that_inflates_past_the_cap_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(bomb_pdf(300_000))  # 13 KB inflating to 5.4 MB: ~1 GB and 25 s to parse
    record = extract_bounded(lambda: extract_file(bomb), str(bomb), "s", Limits(60, 1024, 4))
    [only] = record["issues"]
    assert only["code"] == "resource_limit"  # how fast: benchmarks/extract_bounded.py
    assert "inflates to more than 4 MB (JIXIAO_EXTRACT_MAX_STREAM_MB)" in only["message"]


def test_a_slow_file_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    def slow() -> dict:
        time.sleep(30)
        raise AssertionError("not stopped")

    record = extract_bounded(slow, "slow.pdf", "s", Limits(0.5, 0))  # else "not stopped"
    assert record["issues"][0]["code"] == "resource_limit"
    assert "took more than 0.5 s (JIXIAO_EXTRACT_TIMEOUT_SECONDS)" in record["issues"][0]["message"]


def test_a_bounded_extraction_returns_the_same_record_as_in_process(tmp_path: Path) -> None:
    text = tmp_path / "form.txt"
    text.write_text("2023年度 部门整体支出绩效自评表\n一级指标 分值 得分\n", encoding="utf-8")
    in_process = extract_file(text)
    bounded = extract_bounded(lambda: extract_file(text), str(text), "s", Limits(60, 512))
    assert bounded == in_process


def test_an_extractor_exception_in_the_child_comes_back_as_an_exception() -> None:
    def broken() -> dict:
        raise KeyError("cell")

    with pytest.raises(RuntimeError, match="KeyError"):
        extract_bounded(broken, "x.pdf", "s", Limits(10, 256))


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("自评表\n".encode() * 2000 + b"\x00" + "得分\n".encode(), "nul_bytes"),  # after 4 KB
        (b"\x00" + "部门整体支出绩效自评表\n".encode(), "nul_bytes"),
        (b"\xff\xfe" + "部门整体支出绩效自评表".encode("utf-16-le"), "missing_indicator_table"),
        (bytes(range(128, 256)) * 40, "undecodable_text"),
    ],
    ids=["nul-after-4kb", "nul-first", "utf16-bom-is-text", "not-text"],
)
def test_text_layer_reasons_are_the_true_ones(tmp_path: Path, data: bytes, code: str) -> None:
    path = tmp_path / "layer.txt"
    path.write_bytes(data)
    record = extract_file(path)
    codes = [i["code"] for i in record["issues"] if i["severity"] == "error"]
    assert codes[0] == code, record["issues"]
    assert "\x00" not in str(record)


def test_a_damaged_xref_is_reported_as_damaged_not_as_a_scan(tmp_path: Path) -> None:
    pdf = bytearray(bomb_pdf(10))
    start = pdf.index(b"xref")
    pdf[start:] = b"xref\n0 9\nGARBAGE\ntrailer\n<< /Size 9 >>\nstartxref\n1\n%%EOF\n"
    pdf = pdf.replace(b"/Type /Pages", b"/Type /Pagez")  # no page tree either
    path = tmp_path / "broken.pdf"
    path.write_bytes(bytes(pdf))
    record = extract_file(path)
    [error] = [i for i in record["issues"] if i["severity"] == "error"]
    assert error["code"] == "corrupt_pdf", error
    assert "scanned" not in error["message"]


def _envelope(record: dict, year_folder: int | None) -> dict:
    return {
        "envelope_version": 1,
        "run_id": "r1",
        "extracted_at": "2024-01-01T00:00:00+00:00",
        "file": {
            "path": record["source"]["path"],
            "sha256": record["source"]["sha256"],
            "size": 1,
            "mtime": "2024-01-01T00:00:00+00:00",
            "year_folder": year_folder,
        },
        "record": record,
    }


def test_a_form_filed_under_the_wrong_year_is_quarantined_unless_accepted(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    record = _record("a" * 64)
    record["document"]["fiscal_year"] = 2022
    result = load_envelope_data(warehouse, [_envelope(record, 2023)])
    assert result.quarantined == 1 and result.loaded == 0
    reason = result.quarantined_files[0]["reason"]
    assert "prints fiscal year 2022" in reason and "2023 folder" in reason
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(
            "select code from raw.extraction_issues where severity = 'error'"
        ).fetchall() == [("fiscal_year_mismatch",)]

    other = tmp_path / "x.duckdb"
    accepted = load_envelope_data(other, [_envelope(record, 2023)], accept_printed_year=True)
    assert accepted.loaded == 1


def test_no_nul_character_is_ever_stored(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    record = _record("b" * 64)
    record["indicators"][0]["level3"] = "预算\x00完成率"
    load_envelope_data(warehouse, [_envelope(record, None)])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        [(count,)] = con.execute(
            "select count(*) from raw.indicator_scores where contains(level3, chr(0))"
        ).fetchall()
        [(level3,)] = con.execute(
            "select level3 from raw.indicator_scores where line_number = 1"
        ).fetchall()
    assert count == 0 and level3 == "预算完成率"


READER = textwrap.dedent(
    """
    import pathlib, sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)  # what a notebook does
    pathlib.Path(sys.argv[1] + ".reader-open").touch()
    time.sleep(float(sys.argv[2]))
    pathlib.Path(sys.argv[1] + ".reader-closing").touch()
    con.close()
    """
)


def start_reader(warehouse: Path, seconds: float) -> subprocess.Popen[bytes]:
    """Start a process that holds ``warehouse`` open read-only for ``seconds``."""
    ready = Path(f"{warehouse}.reader-open")
    ready.unlink(missing_ok=True)
    Path(f"{warehouse}.reader-closing").unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, "-c", READER, str(warehouse), str(seconds)])
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert proc.poll() is None and time.monotonic() < deadline, "reader did not open"
        time.sleep(0.05)
    return proc


def test_a_writer_waits_for_a_reader_then_writes(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    reader = start_reader(warehouse, 2)
    with connect_writable(warehouse, timeout=60) as con:
        assert Path(f"{warehouse}.reader-closing").exists(), "wrote while the reader was open"
        con.execute("create table t as select 1 as x")
    reader.wait(timeout=30)


def test_a_reader_that_stays_open_gives_a_clear_error_naming_it(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    reader = start_reader(warehouse, 30)
    try:
        with pytest.raises(WarehouseBusy) as caught:
            wait_for_readers(
                warehouse, lambda: duckdb.connect(str(warehouse)).close(), "load_raw", 1.5
            )
    finally:
        reader.kill()
        reader.wait()
    message = str(caught.value)
    assert f"PID {reader.pid}" in message and "serving" in message
    assert "JIXIAO_LOCK_TIMEOUT_SECONDS" in message


def test_scan_sorts_by_bytes_and_never_opens_special_files(tmp_path: Path) -> None:
    year = _inbox(tmp_path)
    os.mkfifo(year / "b.txt")
    (year / "a.txt").write_text("a", encoding="utf-8")
    entries = scan_folder(year, tmp_path / "inbox")
    assert [(e.path.name, e.skip_reason is None) for e in entries] == [
        ("a.txt", True),
        ("b.txt", False),
    ]


def test_files_loaded_by_a_run_killed_after_its_load_are_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jixiao import settings
    from jixiao.stages.publish import report_unfinished_runs, summary_path

    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("JIXIAO_WAREHOUSE", raising=False)
    cfg = settings.resolve()
    good, bad = _record("c" * 64), _record("d" * 64)
    bad["document"]["family"] = "unknown"
    bad["issues"].append({"severity": "error", "code": "not_a_pdf", "message": "x: no", "page": 1})
    envelopes = [_envelope(good, None), _envelope(bad, None)]
    for envelope in envelopes:
        envelope["run_id"] = "killed_run"
    load_envelope_data(cfg.warehouse, envelopes)  # then the run was killed: no summary

    [earlier] = report_unfinished_runs(cfg, "rerun")
    assert earlier["run_id"] == "killed_run"
    assert (earlier["loaded"], earlier["quarantined"]) == (1, 1)
    assert earlier["quarantined_files"][0]["reason"] == "x: no"
    assert summary_path("killed_run").exists()
    assert report_unfinished_runs(cfg, "next") == []  # reported once


def test_a_failed_run_prints_a_json_summary_with_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from jixiao import cli, runner
    from jixiao.runner import RunFailed

    def fail(*_: object, **__: object) -> dict:
        raise RunFailed("DAG run r9 ended failed; failed tasks: dbt_build", "r9", ["dbt_build"])

    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(runner, "run_dag", fail)
    (tmp_path / "inbox").mkdir()
    assert cli.main(["run", "--inbox", str(tmp_path / "inbox")]) == 1
    captured = capsys.readouterr()
    summary = json.loads(captured.out.strip().splitlines()[-1])
    assert summary["status"] == "failed" and summary["run_id"] == "r9"
    assert summary["failed_tasks"] == ["dbt_build"] and "dbt_build" in summary["error"]
    assert "Traceback" not in captured.err


def test_sql_while_the_warehouse_is_written_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, duckdb, pathlib\n"
            "con = duckdb.connect(sys.argv[1])\n"
            "pathlib.Path(sys.argv[1] + '.writing').touch()\n"
            "time.sleep(30)\n",
            str(warehouse),
        ]
    )
    try:
        while not Path(f"{warehouse}.writing").exists():
            assert writer.poll() is None
            time.sleep(0.05)
        proc = subprocess.run(
            [sys.executable, "-m", "jixiao.cli", "sql", "select 1"],
            env={**os.environ, "JIXIAO_WAREHOUSE": str(warehouse)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        writer.kill()
        writer.wait()
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert "is being written by a run right now" in proc.stderr
    assert f"PID {writer.pid}" in proc.stderr and "serving" in proc.stderr
