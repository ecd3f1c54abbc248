"""The credit policy's pure rules (POLICY.md), in plain Python without the ORM.

The models gather the facts (scores, grade bounds, flags) and call these
functions; each function is one rule of the policy and says which one.
"""
from collections import namedtuple

GradeRule = namedtuple(
    "GradeRule",
    "key min_score min_repayment_score min_purchase_score new_customer_allowed",
)
"""What the grading rules need to know of a grade; ``key`` identifies it."""

GrantBounds = namedtuple(
    "GrantBounds", "credit_allowed max_limit max_term_days collateral_required"
)
"""What a grade grants (POLICY.md §2)."""

GradeResult = namedtuple("GradeResult", "index steps")
"""Position of the resulting grade in the table (0 = best) and the rules applied,
as a tuple of step names: ``band``, ``sub_score``, ``red_flag``, ``new_customer``."""


def band_index(grades, total_score):
    """Grade whose score band holds the total: the best grade whose minimum
    total score is reached; the worst grade otherwise (POLICY.md §1, 001).

    :param grades: GradeRule sequence ordered best first
    """
    for index, grade in enumerate(grades):
        if total_score >= grade.min_score:
            return index
    return len(grades) - 1


def misses_sub_score_minimum(grade, repayment_score, purchase_score):
    """True when "repayment of due invoices" or "purchases with us" is below
    the grade's minimum, which costs one level (001)."""
    return (
        repayment_score < grade.min_repayment_score
        or purchase_score < grade.min_purchase_score
    )


def downgrade_one_level(grades, index):
    """Next worse grade, the worst staying the worst."""
    return min(index + 1, len(grades) - 1)


def best_grade_for_new_customer(grades, index):
    """Best grade at or below ``index`` that new customers (or customers with
    incomplete key data) may receive without special approval (001, 002)."""
    for candidate in range(index, len(grades)):
        if grades[candidate].new_customer_allowed:
            return candidate
    return len(grades) - 1


def compute_grade(
    grades,
    total_score,
    repayment_score,
    purchase_score,
    has_red_flag=False,
    is_new_or_incomplete=False,
    special_approval=False,
):
    """Grade of a scored customer, applying POLICY.md §1 in order:

    1. the score band of the total;
    2. one level down if either sub-score misses the band's minimum;
    3. any red flag forces the worst grade of the table;
    4. a new customer, or one with incomplete key data, is capped at the best
       grade allowed for new customers unless a special approval is recorded.

    :param grades: GradeRule sequence ordered best first (not empty)
    :return: GradeResult
    """
    if not grades:
        raise ValueError("a grade table needs at least one grade")
    steps = ["band"]
    index = band_index(grades, total_score)
    if misses_sub_score_minimum(grades[index], repayment_score, purchase_score):
        lower = downgrade_one_level(grades, index)
        if lower != index:
            index = lower
            steps.append("sub_score")
    if has_red_flag:
        worst = len(grades) - 1
        if worst != index:
            index = worst
            steps.append("red_flag")
    if is_new_or_incomplete and not special_approval:
        capped = best_grade_for_new_customer(grades, index)
        if capped != index:
            index = capped
            steps.append("new_customer")
    return GradeResult(index, tuple(steps))


def grant_violations(bounds, limit, term_days, collateral_value):
    """Ways a proposed limit and term break what the grade grants (POLICY.md §2).

    :return: list of ``(rule, allowed)`` pairs, empty when the proposal is fine;
        rules: ``no_credit`` (the grade allows no credit), ``limit`` (above the
        grade's maximum), ``term`` (longer than the grade's maximum),
        ``collateral`` (above the recorded collateral for a collateral grade),
        ``negative`` (negative limit or term).
    """
    violations = []
    if limit < 0 or term_days < 0:
        violations.append(("negative", 0))
    if not bounds.credit_allowed:
        if limit > 0 or term_days > 0:
            violations.append(("no_credit", 0))
        return violations
    if limit > bounds.max_limit:
        violations.append(("limit", bounds.max_limit))
    if term_days > bounds.max_term_days:
        violations.append(("term", bounds.max_term_days))
    if bounds.collateral_required and limit > collateral_value:
        violations.append(("collateral", collateral_value))
    return violations


def has_consecutive_poor_months(poor_months, last_month, count=2):
    """True when each of the ``count`` months up to ``last_month`` had invoices
    paid late or left overdue without a valid reason (000: two consecutive
    months of poor payment lead to a downgrade).

    :param poor_months: set of ``(year, month)`` with poor payment
    :param last_month: ``(year, month)`` of the last complete month
    """
    year, month = last_month
    for _step in range(count):
        if (year, month) not in poor_months:
            return False
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return True


def raised_limit(current_limit, max_increase_percent, max_limit):
    """Limit proposed for a good payer: at most ``max_increase_percent`` above
    the current one (000), never above the grade's maximum."""
    return min(current_limit * (1 + max_increase_percent / 100.0), max_limit)
