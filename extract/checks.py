"""Consistency checks over an extracted form: values are kept as printed and flagged.

- a leaf score above its points → ``score_exceeds_points``
- leaf scores not adding up to 总分 → ``leaf_sum_mismatch``
- children's points not adding up to their parent's → ``points_sum_mismatch``
- a printed rate far from actual / budget → ``rate_mismatch``
- the budget breakdowns not summing to the same total → ``budget_dimension_mismatch``

Each finding carries its numbers as typed fields (``field``, ``observed`` = as printed,
``expected`` = what the arithmetic gives); the tolerances are the warehouse checks' own
(``jixiao.extract.tolerances``, defined once in dbt_project.yml).
"""

from __future__ import annotations

from jixiao.extract import issues as codes
from jixiao.extract.issues import issue, where
from jixiao.extract.record import BudgetLine, Indicator, Issue
from jixiao.extract.tolerances import tolerances


def _fmt(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def check_scores(indicators: list[Indicator], name: str) -> list[Issue]:
    """Given the indicators, return a warning for every score above its indicator's points."""
    found = []
    for row in indicators:
        score, points = row["score"], row["points"]
        if score is not None and points is not None and score > points + 1e-9:
            found.append(
                issue(
                    "warning",
                    codes.SCORE_EXCEEDS_POINTS,
                    f"{where(name, row['page'])}: indicator {row['level3']!r} scores "
                    f"{_fmt(score)} on {_fmt(points)} point(s); expected at most "
                    f"{_fmt(points)}; kept as printed",
                    row["page"],
                    field=f"indicators.{row['level3']}.score",
                    observed=score,
                    expected=points,
                )
            )
    return found


def check_leaf_sum(
    indicators: list[Indicator],
    total: float | None,
    page: int | None,
    name: str,
    outside: float | None = None,
) -> list[Issue]:
    """Given the indicators and the printed 总分, return a warning when the leaves differ.

    ``outside`` is a score printed outside the indicator table that 总分 includes (the
    预算执行率 score of the national template's budget table).
    """
    scores = [row["score"] for row in indicators if row["score"] is not None]
    if total is None or not scores:
        return []
    leaf_sum = sum(scores) + (outside or 0.0)
    if abs(leaf_sum - total) <= tolerances().score:
        return []
    return [
        issue(
            "warning",
            codes.LEAF_SUM_MISMATCH,
            f"{where(name, page)}: leaf scores add up to {_fmt(leaf_sum)} but 总分 is "
            f"printed as {_fmt(total)}; expected them equal",
            page,
            field="totals.total_score",
            observed=total,
            expected=leaf_sum,
        )
    ]


def _points_issue(name: str, page: int | None, what: str, parts: float, whole: float) -> Issue:
    return issue(
        "warning",
        codes.POINTS_SUM_MISMATCH,
        f"{where(name, page)}: the points under {what} add up to {_fmt(parts)}, but it is "
        f"printed with {_fmt(whole)}; expected them equal",
        page,
        field=f"indicators.{what}.points",
        observed=whole,
        expected=parts,
    )


def check_points(
    indicators: list[Indicator],
    total_points: float | None,
    name: str,
    outside: float | None = None,
) -> list[Issue]:
    """Given the indicators and 总分's points, return warnings where children's points differ.

    ``outside`` is the points printed outside the indicator table that 总分 includes.
    """
    tolerance = tolerances().score
    level2: dict[tuple[str | None, str | None], list[Indicator]] = {}
    for row in indicators:
        level2.setdefault((row["level1"], row["level2"]), []).append(row)
    found: list[Issue] = []
    level1: dict[str | None, tuple[float | None, float, int | None]] = {}
    for (l1_name, l2_name), rows in level2.items():
        first = rows[0]
        leaf_points = sum(row["points"] or 0.0 for row in rows)
        l2_points = first["level2_points"]
        if l2_name is not None and l2_points is not None:
            if abs(leaf_points - l2_points) > tolerance:
                found.append(_points_issue(name, first["page"], l2_name, leaf_points, l2_points))
        own = l2_points if l2_points is not None else leaf_points
        l1_points, running, page = level1.get(l1_name, (first["level1_points"], 0.0, first["page"]))
        level1[l1_name] = (l1_points, running + own, page)
    for l1_name, (l1_points, running, page) in level1.items():
        if l1_name is not None and l1_points is not None:
            if abs(running - l1_points) > tolerance:
                found.append(_points_issue(name, page, l1_name, running, l1_points))
    if total_points is not None and level1:
        l1_sum = sum(
            points if points is not None else running for points, running, _ in level1.values()
        ) + (outside or 0.0)
        if abs(l1_sum - total_points) > tolerance:
            found.append(_points_issue(name, None, "总分", l1_sum, total_points))
    return found


def check_budget(lines: list[BudgetLine], name: str) -> list[Issue]:
    """Given budget lines, return warnings for rates off actual/budget and unequal breakdowns.

    Each breakdown (dimension) is compared with the first one printed, per measure, within
    the amount tolerance of every figure added up.
    """
    limits = tolerances()
    found: list[Issue] = []
    for line in lines:
        budget, actual, rate = line["budget"], line["actual"], line["reported_rate"]
        if budget and actual is not None and rate is not None:
            if abs(actual / budget - rate) > limits.rate:
                found.append(
                    issue(
                        "warning",
                        codes.RATE_MISMATCH,
                        f"{where(name, line['page'])}: {line['item']} rate printed as "
                        f"{_fmt(rate)} but actual/budget is {_fmt(actual / budget)}",
                        line["page"],
                        field=f"budget_lines.{line['item']}.reported_rate",
                        observed=rate,
                        expected=actual / budget,
                    )
                )
    for measure in ("budget", "actual"):
        sums: dict[str, tuple[float, int]] = {}
        for line in lines:
            value = line[measure]  # type: ignore[literal-required]
            total, count = sums.get(line["dimension"], (0.0, 0))
            total += float("nan") if value is None else value
            sums[line["dimension"]] = (total, count + 1)
        known = {dim: pair for dim, pair in sums.items() if pair[0] == pair[0]}
        if len(known) < 2:
            continue
        page = lines[0]["page"]
        (first, (reference, reference_count)), *others = known.items()
        for dimension, (total, count) in others:
            if abs(total - reference) <= limits.amounts(count + reference_count):
                continue
            found.append(
                issue(
                    "warning",
                    codes.BUDGET_DIMENSION_MISMATCH,
                    f"{where(name, page)}: the {measure} of {dimension} sums to {_fmt(total)} "
                    f"but {first} to {_fmt(reference)}; expected one total",
                    page,
                    field=f"budget_lines.{dimension}.{measure}",
                    observed=total,
                    expected=reference,
                )
            )
    return found


def check_gaps(indicators: list[Indicator], lines: list[BudgetLine], name: str) -> list[Issue]:
    """Given what was read, return a ``partly_read`` warning naming every gap found.

    A leaf without a name, without both points and score, or with a score but no points, a
    row missing a level name that other rows have, and a budget line without a figure are
    gaps (a score left blank on purpose, as bonus items often are, is not): the record says
    so rather than looking complete.
    """
    gaps: list[str] = []
    pages: list[int] = []

    def gap(rows: list[Indicator], what: str) -> None:
        if rows:
            gaps.append(f"{len(rows)} indicator row(s) without {what}")
            pages.extend(row["page"] for row in rows if row["page"] is not None)

    gap([row for row in indicators if not row["level3"]], "a name")
    gap([row for row in indicators if row["points"] is None and row["score"] is None], "figures")
    # a score needs the points it is out of: none read means the 分值 column was not found
    # (a header word a seal hid from OCR), not a form without points
    gap([row for row in indicators if row["score"] is not None and row["points"] is None], "points")
    for level in ("level1", "level2"):
        if any(row[level] for row in indicators):  # type: ignore[literal-required]
            gap([row for row in indicators if not row[level]], f"a {level} name")  # type: ignore[literal-required]
    empty = [line for line in lines if line["budget"] is None and line["actual"] is None]
    if empty:
        items = ", ".join(line["item"] for line in empty)
        gaps.append(f"{len(empty)} budget line(s) without figures ({items})")
    if not gaps:
        return []
    page = min(pages) if pages else None
    return [
        issue(
            "warning",
            codes.PARTLY_READ,
            f"{where(name, page)}: read only in part: {'; '.join(gaps)}; expected every "
            "indicator row with its names, points and score, and figures on every budget line",
            page,
        )
    ]
