"""Pure rules of the confidential credit file (POLICY.md §6), without the ORM.

Kept apart from the models so that they can be read, reviewed and tested on
their own, like ``credit_policy.policy``.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

#: Confidentiality levels of a credit file (seed 003, variant 10).
LEVEL_COMPANY = "company"
LEVEL_DEPARTMENT = "department"
LEVEL_PERSONAL = "personal"

#: The yearly transaction review is due before 25 December (seed 000 §6).
ANNUAL_REVIEW_MONTH = 12
ANNUAL_REVIEW_DAY = 25
#: A full refresh of the file every quarter (seed 002).
FULL_UPDATE_MONTHS = 3
#: Periods of negative operating cash flow in a row that warrant a warning (seed 004).
NEGATIVE_CASH_FLOW_PERIODS = 3


# ----------------------------------------------------------------------
# Who reads which level (the access matrix, see README)
# ----------------------------------------------------------------------
def levels_read_by_role(is_credit_manager, is_credit_officer, is_general_manager):
    """The levels a user reads in every file of his companies by his role
    alone, whoever owns the file.

    Credit Managers read every level; the credit department (Credit Officer,
    and the Credit Controller who implies it) and the general manager read
    company-level files. Department-level files are read by the department,
    personal files by their owner and his department manager: those two come
    from the file's owner and department, not from a role
    (:func:`levels_read_in_department`).
    """
    if is_credit_manager:
        return {LEVEL_COMPANY, LEVEL_DEPARTMENT, LEVEL_PERSONAL}
    if is_credit_officer or is_general_manager:
        return {LEVEL_COMPANY}
    return set()


def levels_read_in_department(is_department_manager):
    """The levels a user reads in the files of a department he belongs to:
    its members read department-level files, its manager (the sales team
    leader) also the personal files of his people (seed 003: the department
    manager keeps the department's files)."""
    if is_department_manager:
        return {LEVEL_DEPARTMENT, LEVEL_PERSONAL}
    return {LEVEL_DEPARTMENT}


def approver_role(level):
    """Who approves an access request to a file of ``level`` (seed 003,
    variant 10), besides a Credit Manager who may approve any:

    * personal: the owner's department manager;
    * department: the sales director;
    * company: the general manager.
    """
    return {
        LEVEL_PERSONAL: "department_manager",
        LEVEL_DEPARTMENT: "sales_director",
        LEVEL_COMPANY: "general_manager",
    }[level]


def grant_is_valid(state, date_from, date_to, today):
    """An access grant lets its reader read from its start until its return
    date included, once approved; it lapses by itself afterwards."""
    return state == "approved" and bool(date_from) and bool(date_to) and date_from <= today <= date_to


# ----------------------------------------------------------------------
# Financial statements (seed 004)
# ----------------------------------------------------------------------
def _ratio(numerator, denominator):
    return numerator / denominator if denominator else 0.0


def financial_ratios(figures):
    """Derived ratios of one period's key figures.

    :param figures: mapping with ``current_assets``, ``current_liabilities``,
        ``inventory``, ``total_assets``, ``total_liabilities``, ``revenue``,
        ``net_profit``, ``operating_cash_flow`` (missing keys count as 0)
    :return: dict of ratios; a ratio over a zero denominator is 0
    """
    get = lambda key: figures.get(key) or 0.0  # noqa: E731
    equity = get("total_assets") - get("total_liabilities")
    return {
        "current_ratio": _ratio(get("current_assets"), get("current_liabilities")),
        "quick_ratio": _ratio(get("current_assets") - get("inventory"), get("current_liabilities")),
        "debt_ratio": _ratio(get("total_liabilities"), get("total_assets")) * 100.0,
        "net_margin": _ratio(get("net_profit"), get("revenue")) * 100.0,
        "return_on_equity": _ratio(get("net_profit"), equity) * 100.0 if equity > 0 else 0.0,
        "cash_flow_coverage": _ratio(get("operating_cash_flow"), get("current_liabilities")),
    }


def negative_cash_flow_streak(operating_cash_flows, periods=NEGATIVE_CASH_FLOW_PERIODS):
    """Whether the latest ``periods`` operating cash flows are all negative.

    A customer showing profits while its operating cash flow stays negative
    period after period may be inflating its profit (seed 004).

    :param operating_cash_flows: the flows, oldest period first
    """
    latest = list(operating_cash_flows)[-periods:]
    return len(latest) == periods and all(flow < 0 for flow in latest)


# ----------------------------------------------------------------------
# Freshness (seeds 000 and 002)
# ----------------------------------------------------------------------
def full_update_due(last_update, created):
    """The date the next quarterly full update is due."""
    start = last_update or created
    return start + relativedelta(months=FULL_UPDATE_MONTHS) if start else None


def _review_deadline(year):
    return date(year, ANNUAL_REVIEW_MONTH, ANNUAL_REVIEW_DAY)


def annual_review_due(last_review, today, created=None):
    """The deadline of the yearly transaction review (seed 000 §6: each year,
    before 25 December): 25 December of the year after the last review; a
    file never reviewed, the first 25 December on or after its creation
    (``created``, else ``today``). A missed review stays overdue: a file last
    reviewed in 2025 was due on 25 December 2026, and is overdue in January
    2027 as well."""
    if last_review:
        return _review_deadline(last_review.year + 1)
    start = created or today
    deadline = _review_deadline(start.year)
    return deadline if start <= deadline else _review_deadline(start.year + 1)


def annual_review_overdue(last_review, today, created=None):
    """Whether the yearly review deadline (:func:`annual_review_due`) has
    passed on ``today``."""
    return annual_review_due(last_review, today, created) < today


def annual_review_overdue_bounds(today):
    """:func:`annual_review_overdue` as bounds, for a search: on ``today``, a
    file is overdue when last reviewed before the first date returned, or,
    never reviewed, when created on or before the second one (the last 25
    December before today, the latest deadline that has passed)."""
    passed = _review_deadline(today.year)
    if today <= passed:
        passed = _review_deadline(today.year - 1)
    return date(passed.year, 1, 1), passed


def completeness(filled):
    """Share (0-100) of the expected items that are filled in.

    :param filled: iterable of booleans, one per expected item
    """
    filled = list(filled)
    return round(100.0 * sum(1 for item in filled if item) / len(filled)) if filled else 100


def document_is_valid(expiry_date, today):
    """A document without an expiry date never expires; one with an expiry
    date is valid until that date included."""
    return not expiry_date or expiry_date >= today


def quiet_cutoff(today, days):
    """The first day still within ``days`` days of ``today``: a contact or a
    change of the credit file before it was more than ``days`` days ago
    (communication broken off, file to complete). ``None`` when ``days`` is 0
    or less: the rule is off."""
    if not days or days <= 0:
        return None
    return today - timedelta(days=days)
