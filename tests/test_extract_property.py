"""Property: `jixiao extract` on any mutation of a form's text layer or PDF gives one record,
never an exception (hypothesis; issue 14).

Mutations: bytes replaced, inserted or deleted anywhere, truncation, NUL bytes, invalid
UTF-8. Each example runs the command's own entry point (``jixiao.cli.main``) in-process
and checks the JSON line it prints: schema v1, the file's path, issues that name a code
and a severity.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao import cli
from tests.test_bad_inbox import bomb_pdf
from tests.test_extract_bad_inputs import _canvas_pdf
from tests.test_extract_text_layer import FORM

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """Given bytes, draw a copy with a few edits: replace, insert, delete, truncate."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["replace", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        chunk = draw(st.binary(min_size=1, max_size=16) | st.sampled_from([b"\x00", b"\xff\xfe"]))
        if kind == "replace":
            data[at : at + len(chunk)] = chunk
        elif kind == "insert":
            data[at:at] = chunk
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            del data[at:]
    return bytes(data)


def _extract_once(data: bytes, suffix: str, capsys: pytest.CaptureFixture[str]) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"mutated{suffix}"
        path.write_bytes(data)
        assert cli.main(["extract", str(path)]) == 0
        lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["schema_version"] == 1 and record["source"]["path"] == str(path)
    assert all(
        i["code"] and i["severity"] in {"error", "warning", "info"} for i in record["issues"]
    )
    return record


def _sample_pdf() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "form.pdf"
        _canvas_pdf(path, "2021年度 部门整体支出绩效自评表 一级指标 分值 得分")
        return path.read_bytes()


TEXT_LAYER = FORM.encode()  # a flattened form the text-layer parser reads (no ../shared)
PDFS = [_sample_pdf(), bomb_pdf(20)]


@EXAMPLES
@given(data=mutated(TEXT_LAYER))
def test_mutated_text_layers_always_give_a_record(
    data: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    _extract_once(data, ".txt", capsys)


@EXAMPLES
@given(data=st.sampled_from(PDFS).flatmap(mutated))
def test_mutated_pdfs_always_give_a_record(data: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    record = _extract_once(data, ".pdf", capsys)
    if record["document"]["family"] == "unknown":
        assert any(i["severity"] == "error" for i in record["issues"])
