"""Quality checks on real documents, through the real extractor, dbt project and suites.

- Seed 003 (番禺区 2021 form, ../shared/seeds) scores 2 on a 1-point indicator: flagged by
  score_within_points; its leaves add up to its 总分 95.77, so leaf_scores_sum_to_total
  passes. A copy with one leaf score changed (政府采购执行率 1.08 → 1.58) fails it.
- The demo corpus (jixiao samples) plus the seeds: every check runs for every loaded
  submission and shows in Data Docs; only the seeded mistakes are found (those the
  samples' ground truth records, mapped to their checks, and seed 003's).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from jixiao.expectations import validate
from jixiao.expectations.specs import load_suite_specs
from jixiao.extract.api import extract_file
from jixiao.extract.envelope import extract_to_envelope
from jixiao.stages import transform
from jixiao.stages.discover import discover, sha256_of
from jixiao.stages.load import load_envelopes
from tests.conftest import SEEDS
from tests.generated import copy_tree

SEED_003 = SEEDS / "003_c80886a83bcd6da9.txt"
CHANGED_SCORE = ("\n1.08\n", "\n1.58\n")  # 政府采购执行率: 2 points, scored 1.08

pytestmark = pytest.mark.shared("seeds/003_c80886a83bcd6da9.txt")


def build_warehouse(inbox: Path, folder: Path) -> Path:
    """Extract every file of the inbox, load it and build the models the checks read."""
    warehouse = folder / "warehouse.duckdb"
    found = discover(inbox, warehouse)
    envelopes = [
        extract_to_envelope(item.to_dict(), "quality-seeds", folder / "records", extract_file)
        for item in found.new_files
    ]
    load_envelopes(warehouse, envelopes)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(transform.DBT_TARGET_DIR_ENV, str(folder / "dbt_work"))
        transform.dbt_build_before_checks(warehouse)
    return warehouse


def results_by_file(warehouse: Path, run_id: str) -> dict[str, dict[str, dict]]:
    """Return the run's check results per file name, per check name."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(
            "select submissions.file_name, results.* from quality.check_results as results "
            "inner join raw.submissions as submissions on results.sha256 = submissions.sha256 "
            "where results.run_id = ?",
            [run_id],
        )
        columns = [column[0] for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    by_file: dict[str, dict[str, dict]] = {}
    for row in rows:
        key = f"{row['fiscal_year']}/{row['file_name']}"
        by_file.setdefault(key, {})[row["check_name"]] = row
    return by_file


@pytest.fixture(scope="module")
def seed_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict]]:
    folder = tmp_path_factory.mktemp("quality_seed_003")
    year = folder / "inbox" / "2021"
    year.mkdir(parents=True)
    shutil.copy(SEED_003, year / "seed_003.txt")
    text = SEED_003.read_text(encoding="utf-8")
    assert text.count(CHANGED_SCORE[0]) == 1
    (year / "seed_003_changed.txt").write_text(text.replace(*CHANGED_SCORE), encoding="utf-8")
    warehouse = build_warehouse(folder / "inbox", folder)
    validate.validate_warehouse(warehouse, "seed-003")
    return results_by_file(warehouse, "seed-003")


def test_real_form_is_flagged_by_score_within_points(seed_results: dict) -> None:
    checks = seed_results["2021/seed_003.txt"]
    over = checks["score_within_points"]
    assert over["passed"] is False and over["severity"] == "error"
    assert "资产管理制度健全性" in over["observed"] and "score=2.0" in over["observed"]
    assert over["department"] == "广州市番禺区科技工业商务和信息化局"


def test_real_form_adds_up_to_its_total(seed_results: dict) -> None:
    checks = seed_results["2021/seed_003.txt"]
    assert checks["leaf_scores_sum_to_total"]["passed"] is True
    failed = {name for name, row in checks.items() if not row["passed"]}
    assert failed == {"score_within_points"}


def test_one_changed_score_fails_leaf_scores_sum_to_total(seed_results: dict) -> None:
    checks = seed_results["2021/seed_003_changed.txt"]
    sums = checks["leaf_scores_sum_to_total"]
    assert sums["passed"] is False
    assert "total_score=95.77" in sums["observed"] and "leaf_score_sum=96.27" in sums["observed"]
    failed = {name for name, row in checks.items() if not row["passed"]}
    assert failed == {"score_within_points", "leaf_scores_sum_to_total"}


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path) -> dict:
    folder = tmp_path_factory.mktemp("quality_corpus")
    inbox = copy_tree(sample_corpus, folder / "inbox")
    seeds_year = inbox / "2021"
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, seeds_year / seed.name)
    warehouse = build_warehouse(inbox, folder)
    docs = folder / "data_docs"
    summary = validate.validate_warehouse(warehouse, "corpus", data_docs_dir=docs)
    return {
        "inbox": inbox,
        "docs": docs,
        "summary": summary,
        "results": results_by_file(warehouse, "corpus"),
    }


# The deliberate mistakes the sample generator writes into its ground truth, by the
# issue code it records, and the check that must find each.
SEEDED_ISSUE_CHECKS = {
    "score_exceeds_points": "score_within_points",
    "budget_dimension_mismatch": "budget_dimensions_agree",
    "project_sum_mismatch": "projects_sum_to_total",
}


def seeded_mistakes(inbox: Path) -> set[tuple[str, str]]:
    """The mistakes put in on purpose: (file, check) from the samples' ground truth, and
    seed 003's score above its points."""
    mistakes = {("2021/" + SEED_003.name, "score_within_points")}
    for truth_path in inbox.rglob("*.truth.json"):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        pdf = f"{truth_path.parent.name}/{truth_path.name.replace('.truth.json', '.pdf')}"
        for issue in truth.get("issues", []):
            if issue["code"] in SEEDED_ISSUE_CHECKS:
                mistakes.add((pdf, SEEDED_ISSUE_CHECKS[issue["code"]]))
            else:
                assert "deliberate" not in issue["message"], f"unmapped mistake: {issue}"
    return mistakes


def test_corpus_and_seeds_show_the_seeded_mistakes_and_nothing_else(corpus_run: dict) -> None:
    found = {
        (file, check)
        for file, checks in corpus_run["results"].items()
        for check, row in checks.items()
        if not row["passed"]
    }
    assert found == seeded_mistakes(corpus_run["inbox"])


def test_corpus_runs_every_check_on_every_submission(corpus_run: dict) -> None:
    names = {check.name for spec in load_suite_specs() for check in spec.checks}
    results = corpus_run["results"]
    assert results
    assert all(set(checks) == names for checks in results.values())
    assert corpus_run["summary"]["submissions_checked"] == len(results)


def test_corpus_data_docs_show_every_check(corpus_run: dict) -> None:
    docs = corpus_run["docs"]
    assert (docs / "index.html").is_file()
    pages = "".join(page.read_text(encoding="utf-8") for page in docs.rglob("*.html"))
    for check in {check.name for spec in load_suite_specs() for check in spec.checks}:
        assert check in pages, check


def test_sha256_of_matches_the_checked_submission(seed_results: dict) -> None:
    checks = seed_results["2021/seed_003.txt"]
    assert checks["score_within_points"]["sha256"] == sha256_of(SEED_003)
