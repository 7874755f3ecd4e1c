from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from jixiao.extract.raw_tables import RAW_DDL
from jixiao.stages.discover import batches, candidate_files, discover, sha256_of


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_sha256_matches_hashlib(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.pdf", b"%PDF-1.4 hello")
    assert sha256_of(path) == hashlib.sha256(b"%PDF-1.4 hello").hexdigest()


def test_candidates_skip_hidden_files_and_truth_sidecars(tmp_path: Path) -> None:
    year = tmp_path / "2021"
    _write(year / "a.pdf", b"a")
    _write(year / "a.truth.json", b"{}")
    _write(year / ".DS_Store", b"x")
    _write(year / "sub" / "b.txt", b"b")
    _write(year / "notes.docx", b"not a pdf")
    names = [p.relative_to(year).as_posix() for p in candidate_files(year)]
    assert names == ["a.pdf", "notes.docx", "sub/b.txt"]


def test_discover_scans_year_folders_and_skips_loaded_hashes(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _write(inbox / "2021" / "a.pdf", b"a")
    _write(inbox / "2022" / "b.pdf", b"b")
    _write(inbox / "2022" / "b-copy.pdf", b"b")  # same bytes: extracted once
    _write(inbox / "misc" / "c.pdf", b"c")  # not a year folder: ignored
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        for statement in RAW_DDL:
            con.execute(statement)
        con.execute(
            "insert into raw.submissions (sha256, path, file_name, family, status, "
            "schema_version, loaded_at) values (?, 'x', 'x', 'unknown', 'loaded', 1, now())",
            [hashlib.sha256(b"a").hexdigest()],
        )
    found = discover(inbox, warehouse)
    # files are visited in path order, so the first of two identical files wins
    assert [Path(f.path).name for f in found.new_files] == ["b-copy.pdf"]
    assert found.skipped_unchanged == 2
    assert found.discovered == 3
    assert found.new_files[0].year_folder == 2022


def test_discover_one_year_and_missing_year(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _write(inbox / "2021" / "a.pdf", b"a")
    _write(inbox / "2022" / "b.pdf", b"b")
    found = discover(inbox, tmp_path / "none.duckdb", year=2021)
    assert [Path(f.path).name for f in found.new_files] == ["a.pdf"]
    with pytest.raises(FileNotFoundError, match="2019"):
        discover(inbox, tmp_path / "none.duckdb", year=2019)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        discover(tmp_path / "nope", tmp_path / "none.duckdb")


def test_batches_split_by_size() -> None:
    from jixiao.stages.discover import InboxFile

    files = [
        InboxFile(f"/p{i}", f"{i:064d}", 1, "2021-01-01T00:00:00+00:00", 2021) for i in range(5)
    ]
    got = batches(files, 2)
    assert [len(b) for b in got] == [2, 2, 1]
    assert got[2][0]["path"] == "/p4"
    with pytest.raises(ValueError):
        batches(files, 0)


def test_reprocess_quarantined_rediscovers_only_quarantined_files(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _write(inbox / "2021" / "good.pdf", b"good")
    _write(inbox / "2021" / "bad.pdf", b"bad")
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        for statement in RAW_DDL:
            con.execute(statement)
        for content, status in ((b"good", "loaded"), (b"bad", "quarantined")):
            con.execute(
                "insert into raw.submissions (sha256, path, file_name, family, status, "
                "schema_version, loaded_at) values (?, 'x', 'x', 'unknown', ?, 1, now())",
                [hashlib.sha256(content).hexdigest(), status],
            )
    assert discover(inbox, warehouse).new_files == []
    again = discover(inbox, warehouse, reprocess_quarantined=True)
    assert [Path(f.path).name for f in again.new_files] == ["bad.pdf"]
    assert again.skipped_unchanged == 1
