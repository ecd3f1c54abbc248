"""The credit policy's rules as plain Python (POLICY.md), free of the ORM.

Each function states one rule in the words of the policy and says which one;
the models gather the facts (scores, grade bounds, flags, figures in company
currency) and call these to decide. Keeping them pure makes every rule
testable on its boundaries and gives each rule one home.
"""

from collections import namedtuple
from dataclasses import dataclass, field

# --------------------------------------------------------------------------
# Grading and what a grade grants (POLICY.md §1–3)
# --------------------------------------------------------------------------

GradeRule = namedtuple(
    "GradeRule",
    "key min_score min_repayment_score min_purchase_score new_customer_allowed",
)
"""What the grading rules need to know of a grade; ``key`` identifies it."""

GrantBounds = namedtuple(
    "GrantBounds", "credit_allowed max_limit max_term_days collateral_required"
)
"""What a grade grants (POLICY.md §2)."""

GradeResult = namedtuple("GradeResult", "index steps trail", defaults=((),))
"""Position of the resulting grade in the table (0 = best) and the rules applied,
as a tuple of step names: ``band``, ``sub_score``, ``red_flag``, ``new_customer``,
``prerequisites``;
``trail`` holds the grade's position after each step (same length as ``steps``),
so that an explanation can name the grade each rule started from."""


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


# What a grade requires besides its score (002: grade A of the A/B/C scheme
# needs one year of cooperation, no bad debt in two years, lawful and reliable
# conduct, two years of good operation, strong capital and yearly payments and
# shipments meeting the company's standard). 0 / False: no such prerequisite.
GradePrerequisites = namedtuple(
    "GradePrerequisites",
    "min_cooperation_months bad_debt_free_years min_yearly_volume confirmation_required",
    defaults=(0, 0, 0.0, False),
)
"""What a grade requires of the customer's record and of the evaluator."""

CustomerRecord = namedtuple(
    "CustomerRecord",
    "cooperation_months last_bad_debt_date yearly_shipments yearly_payments confirmed",
    defaults=(0, None, 0.0, 0.0, False),
)
"""The facts a grade's prerequisites are judged on: full months since the
customer's first posted invoice, the date of his last bad debt (None: none),
his shipments (invoiced net of credit notes) and payments of the last 12
months in company currency, and whether the evaluator confirmed his conduct,
operation and capital."""

PREREQUISITE_COOPERATION = "cooperation"
PREREQUISITE_BAD_DEBT = "bad_debt"
PREREQUISITE_YEARLY_VOLUME = "yearly_volume"
PREREQUISITE_CONFIRMATION = "confirmation"


def cooperation_too_short(min_months, cooperation_months):
    """Whether the customer has bought from us for fewer months than the grade
    needs (002: at least one year of cooperation)."""
    return bool(min_months) and cooperation_months < min_months


def bad_debt_too_recent(free_years, last_bad_debt_date, today):
    """Whether the customer's last bad debt falls within the ``free_years``
    the grade needs without one (002: no bad debt in two years)."""
    if not free_years or not last_bad_debt_date:
        return False
    try:
        since = today.replace(year=today.year - free_years)
    except ValueError:  # 29 February
        since = today.replace(year=today.year - free_years, day=28)
    return last_bad_debt_date > since


def yearly_volume_too_low(min_volume, yearly_shipments, yearly_payments, rounding=0.01):
    """Whether the smaller of the customer's yearly shipments and payments
    misses the company's standard for the grade (002): both must reach it."""
    if not min_volume:
        return False
    return not money_at_least(min(yearly_shipments, yearly_payments), min_volume, rounding)


def grade_prerequisite_failures(prerequisites, record, today, rounding=0.01):
    """The prerequisites of a grade the customer's record does not meet.

    :param prerequisites: GradePrerequisites of the grade
    :param record: CustomerRecord of the customer
    :return: tuple of ``PREREQUISITE_*`` codes, empty when the grade may be given
    """
    failures = []
    if cooperation_too_short(prerequisites.min_cooperation_months, record.cooperation_months):
        failures.append(PREREQUISITE_COOPERATION)
    if bad_debt_too_recent(prerequisites.bad_debt_free_years, record.last_bad_debt_date, today):
        failures.append(PREREQUISITE_BAD_DEBT)
    if yearly_volume_too_low(
        prerequisites.min_yearly_volume, record.yearly_shipments, record.yearly_payments, rounding
    ):
        failures.append(PREREQUISITE_YEARLY_VOLUME)
    if prerequisites.confirmation_required and not record.confirmed:
        failures.append(PREREQUISITE_CONFIRMATION)
    return tuple(failures)


def best_grade_meeting_prerequisites(grades, index, prerequisite_failures, new_customer_capped=False):
    """Best grade at or below ``index`` whose prerequisites the customer meets
    (and, when ``new_customer_capped``, that new customers may receive); the
    worst grade otherwise.

    :param prerequisite_failures: one tuple of failure codes per grade
    """
    for candidate in range(index, len(grades)):
        if prerequisite_failures[candidate]:
            continue
        if new_customer_capped and not grades[candidate].new_customer_allowed:
            continue
        return candidate
    return len(grades) - 1


def missing_key_data(key_data):
    """The names of the customer's key data left empty (POLICY.md §1: a
    customer whose key data is incomplete is graded like a new customer).

    :param key_data: {name: value} of the data the company counts as key (an
        empty text, no record and no number all count as missing)
    :return: list of the names without a value, in the order given
    """
    return [name for name, value in key_data.items() if not value]


def red_flag_grade_index(grades, red_flag_index=None):
    """Position of the grade a red flag forces: the table's choice, the worst
    grade when it names none (or one outside the table)."""
    if red_flag_index is None or not 0 <= red_flag_index < len(grades):
        return len(grades) - 1
    return red_flag_index


def compute_grade(
    grades,
    total_score,
    repayment_score,
    purchase_score,
    has_red_flag=False,
    is_new_or_incomplete=False,
    special_approval=False,
    red_flag_index=None,
    prerequisite_failures=None,
):
    """Grade of a scored customer, applying POLICY.md §1 in order:

    1. the score band of the total;
    2. one level down if either sub-score misses the band's minimum;
    3. any red flag forces the grade the table names for red flags (its
       ``red_flag_index``; the worst grade when not given): a customer graded
       better is put down to it, one already graded worse stays where he is
       (a red flag never improves a grade);
    4. a new customer, or one with incomplete key data, is capped at the best
       grade allowed for new customers unless a special approval is recorded;
    5. a grade whose prerequisites the customer does not meet (002: grade A
       needs a year of cooperation, no recent bad debt...) is not given: the
       best grade below it whose prerequisites are met is.

    :param grades: GradeRule sequence ordered best first (not empty)
    :param red_flag_index: position of the grade red flags force (0 = best)
    :param prerequisite_failures: one tuple of failure codes per grade (see
        :func:`grade_prerequisite_failures`); None: no grade has prerequisites
    :return: GradeResult
    """
    if not grades:
        raise ValueError("a grade table needs at least one grade")
    steps = ["band"]
    index = band_index(grades, total_score)
    trail = [index]
    if misses_sub_score_minimum(grades[index], repayment_score, purchase_score):
        lower = downgrade_one_level(grades, index)
        if lower != index:
            index = lower
            steps.append("sub_score")
            trail.append(index)
    if has_red_flag:
        forced = red_flag_grade_index(grades, red_flag_index)
        if index < forced:
            index = forced
            steps.append("red_flag")
            trail.append(index)
    if is_new_or_incomplete and not special_approval:
        capped = best_grade_for_new_customer(grades, index)
        if capped != index:
            index = capped
            steps.append("new_customer")
            trail.append(index)
    if prerequisite_failures and prerequisite_failures[index]:
        met = best_grade_meeting_prerequisites(
            grades, index, prerequisite_failures, is_new_or_incomplete and not special_approval
        )
        if met != index:
            index = met
            steps.append("prerequisites")
            trail.append(index)
    return GradeResult(index, tuple(steps), tuple(trail))


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


def grants_credit(credit_allowed, prepayment_percent):
    """Whether a grade grants any credit: not when credit sales are off, nor
    when the whole order must be paid before delivery (POLICY.md §2, 002: C is
    cash before delivery)."""
    return bool(credit_allowed) and prepayment_percent < 100.0


def temporary_limit_violations(credit_allowed, prepayment_percent, max_validity_days, validity_days):
    """Ways a temporary limit valid for ``validity_days`` breaks what the
    customer's grade grants (POLICY.md §2, 002: B-grade temporary credit 15 days).

    :param max_validity_days: the grade's temporary-credit days; 0 means the
        grade grants no temporary limit
    :return: list of ``(rule, allowed)`` pairs, empty when the request is fine;
        rules: ``no_credit`` (the grade grants no credit at all),
        ``no_temporary`` (the grade grants no temporary limit), ``validity``
        (valid longer than the grade allows)
    """
    if not grants_credit(credit_allowed, prepayment_percent):
        return [("no_credit", 0)]
    if max_validity_days <= 0:
        return [("no_temporary", 0)]
    if validity_days > max_validity_days:
        return [("validity", max_validity_days)]
    return []


def allowed_term_days(granted_term_days, grade_max_term_days=None):
    """Longest payment term (days) a customer's documents may give: the
    granted credit term, never beyond its grade's maximum term (POLICY.md §2;
    000: D-grade customers never beyond 60 days)."""
    if grade_max_term_days is None:
        return max(granted_term_days, 0)
    return max(min(granted_term_days, grade_max_term_days), 0)


def payment_term_exceeded(document_term_days, allowed_days):
    """A document whose payment terms give more days than the customer's
    allowed term breaks the credit term (the term is a limit too)."""
    return document_term_days > allowed_days


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

# --------------------------------------------------------------------------
# Results of a credit check (POLICY.md §4)
# --------------------------------------------------------------------------

#: Usage bands of the effective limit, from harmless to worst. The status of a
#: customer is its band, or "hold" when the customer is on credit hold.
BAND_OK = "ok"
BAND_WARN = "warn"
BAND_ALERT = "alert"
BAND_OVER = "over"
STATUS_HOLD = "hold"
STATUS_NO_LIMIT = "no_limit"
STATUS_NO_LIMIT_DEBT = "no_limit_debt"
BAND_LEVELS = {BAND_OK: 0, BAND_WARN: 1, BAND_ALERT: 2, BAND_OVER: 3}


@dataclass
class RuleFailure:
    """One rule of POLICY.md §4 that the customer breaks.

    ``code`` is stable (used by callers and tests), ``message`` is translated
    and already carries the figures formatted in company currency, ``figures``
    holds the raw numbers behind the message.
    """

    code: str
    message: str
    figures: dict = field(default_factory=dict)


@dataclass
class CreditCheckResult:
    """Outcome of evaluating every credit rule for one customer in one company.

    ``partner_id`` is the commercial partner checked, ``account_partner_id`` the
    partner holding the limit (the credit group head, or the partner itself).
    ``figures`` always holds ``limit``, ``temporary_limit``, ``effective_limit``,
    ``exposure`` (including the checked amount), ``available``,
    ``usage_percent``, ``overdue_amount``, ``oldest_overdue_days`` and
    ``prepayment_due``, all in company currency.
    """

    partner_id: int
    company_id: int
    figures: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    account_partner_id: int = 0

    @property
    def blocked(self):
        """A check blocks as soon as one rule fails."""
        return bool(self.failures)

    @property
    def failure_codes(self):
        return [failure.code for failure in self.failures]

    def message(self, separator="\n"):
        """All failure messages, one per line."""
        return separator.join(failure.message for failure in self.failures)


# --------------------------------------------------------------------------
# Limits and usage
# --------------------------------------------------------------------------


def effective_limit(granted_limit, temporary_limits):
    """Effective limit = granted limit + approved, unexpired temporary limits.

    Temporary limits add up by design: each one is extra room granted for a
    specific deal (POLICY.md §4).
    """
    return (granted_limit or 0.0) + sum(temporary_limits or ())


def money_above(amount, threshold, rounding=0.01):
    """Whether ``amount`` is above ``threshold`` as money: by half the
    currency's ``rounding`` or more. A threshold computed as a share of an
    amount (90 % of 1,002.00) is not exactly representable in binary floating
    point; an amount at it is at it, neither above nor below."""
    return amount - threshold >= rounding / 2


def money_at_least(amount, threshold, rounding=0.01):
    """Whether ``amount`` reaches ``threshold`` as money (see :func:`money_above`)."""
    return amount - threshold > -rounding / 2


def has_credit_limit(effective):
    """A customer without any (effective) limit is governed by the new-customer rule."""
    return effective > 0.0


def usage_percent(exposure, effective):
    """Share of the effective limit in use, in % (to four decimals: 901.80 of
    1,002.00 is 90 %, not the 89.99999999999999 of binary floating point, for
    the searches by usage); 0 when the customer has no limit."""
    if not has_credit_limit(effective):
        return 0.0
    return round(exposure / effective * 100.0, 4)


def available_credit(exposure, effective):
    """Room left under the effective limit (negative when over it)."""
    return effective - exposure


def usage_band(exposure, effective_limit, warn_percent, alert_percent, rounding=0.01):
    """Band of the usage: ok, warn (≥ warn %), alert (≥ alert %) or over the limit,
    the thresholds compared as money (``rounding``: the currency's).

    A customer without a limit has no usage and stays "ok": POLICY.md §4 gives
    such customers a maximum order value instead.
    """
    if not has_credit_limit(effective_limit):
        return BAND_OK
    if money_above(exposure, effective_limit, rounding):
        return BAND_OVER
    if money_at_least(exposure, effective_limit * alert_percent / 100.0, rounding):
        return BAND_ALERT
    if money_at_least(exposure, effective_limit * warn_percent / 100.0, rounding):
        return BAND_WARN
    return BAND_OK


def credit_status(band, on_hold, effective, exposure):
    """Status shown on the customer: credit hold outranks everything; a
    customer without a limit is shown as such (owing money or not), never as
    "OK" with negative available credit; otherwise the usage band."""
    if on_hold:
        return STATUS_HOLD
    if not has_credit_limit(effective):
        return STATUS_NO_LIMIT_DEBT if exposure > 0.0 else STATUS_NO_LIMIT
    return band


def escalation_crossings(previous_band, new_band):
    """Bands crossed upwards since the last escalation, lowest first.

    Escalation fires once per crossing: moving up from ``previous_band`` to
    ``new_band`` crosses every band in between (going straight over the limit
    also crosses the warn and alert thresholds). Moving down crosses nothing and
    re-arms the thresholds left behind.
    """
    previous = BAND_LEVELS.get(previous_band or BAND_OK, 0)
    new = BAND_LEVELS.get(new_band or BAND_OK, 0)
    return [band for band, level in BAND_LEVELS.items() if previous < level <= new]


# --------------------------------------------------------------------------
# Rules of POLICY.md §4 (predicates: True means the rule is broken)
# --------------------------------------------------------------------------


def exceeds_effective_limit(exposure, effective, rounding=0.01):
    """Exposure may not exceed the effective limit (only for customers with a limit)."""
    return has_credit_limit(effective) and money_above(exposure, effective, rounding)


def exceeds_sub_limit(member_exposure, member_limit, rounding=0.01):
    """A credit group member with its own sub-limit may not exceed it either."""
    return member_limit > 0.0 and money_above(member_exposure, member_limit, rounding)


def overdue_share_exceeded(overdue_amount, receivable_amount, max_percent, tolerance, rounding=0.01):
    """Overdue amount may not exceed ``max_percent`` % of the open receivables,
    compared as money (``rounding``: the currency's).

    Disabled when ``max_percent`` is 0; overdue amounts up to ``tolerance`` are
    ignored (small amounts).
    """
    if max_percent <= 0.0 or overdue_amount <= tolerance or receivable_amount <= 0.0:
        return False
    return money_above(overdue_amount, receivable_amount * max_percent / 100.0, rounding)


def overdue_days_exceeded(oldest_overdue_days, max_days):
    """The oldest overdue item may not be older than ``max_days`` (0 disables).

    Callers pass the age of the oldest item above the small-amount tolerance.
    """
    return max_days > 0 and oldest_overdue_days > max_days


def payment_days(oldest_open_date, today):
    """Actual payment days of a customer: days since the invoice date of its
    oldest open invoice, 0 when nothing is open (POLICY.md §2, seed 000)."""
    return max((today - oldest_open_date).days, 0) if oldest_open_date else 0


def payment_days_exceeded(days, max_days):
    """A grade may cap the actual payment days (seed 000: D-grade customers may
    never exceed 60): an invoice open longer than ``max_days`` since its invoice
    date blocks, whatever its due date. ``max_days`` 0: no cap."""
    return max_days > 0 and days > max_days


def net_overdue(items_oldest_first, unallocated_credit, today, tolerance=0.0, rounding=0.01):
    """Overdue amount and age of the oldest overdue item, net of the credit the
    customer has on account (POLICY.md §4, overdue rules).

    Payments and credit notes not yet matched to invoices are applied to the
    overdue items oldest first, as a bank receipt would be matched. Items left
    open up to ``tolerance`` (small amounts) do not make the oldest overdue
    age; they still count in the overdue amount, which the overdue share rule
    compares with the tolerance itself.

    :param items_oldest_first: ``(due date, open amount)`` of the overdue
        items, oldest first, amounts positive
    :param unallocated_credit: credit on account not matched yet (positive)
    :param today: the date the ages are counted at
    :return: ``(overdue amount, days the oldest item above the tolerance is
        past due)``, ``(0.0, 0)`` when nothing is overdue
    """
    credit = max(unallocated_credit or 0.0, 0.0)
    amount = 0.0
    oldest_days = 0
    for due_date, open_amount in items_oldest_first:
        applied = min(credit, open_amount)
        credit -= applied
        left = open_amount - applied
        if left < rounding / 2:
            continue
        amount += left
        if left > tolerance:
            oldest_days = max(oldest_days, (today - due_date).days)
    return amount, oldest_days


def line_unit_value(line_total, ordered_quantity):
    """Value of one unit of an order line, taxes included: the line's total
    over its ordered quantity, unrounded, so that its whole quantity is worth
    the line's total to the cent (a unit price rounded to the cent times
    1,000 units is up to 5.00 off). 0 for a line of no quantity. The rule of
    ``credit.policy.check._sql_line_unit_value``, in Python."""
    return line_total / ordered_quantity if ordered_quantity else 0.0


def credit_granted(document_value, exposure):
    """What a document hands over or commits on credit: its value, less what
    the customer has paid ahead of it (an exposure below the document's value:
    prepayments, down payments, credit on account), never below zero.

    :param exposure: the customer's exposure, this document counted
    """
    return max(min(document_value, exposure), 0.0)


def new_customer_order_exceeded(effective, amount, max_order):
    """No limit means no credit (POLICY.md §4, 001 SAP rule 2): a customer
    without a limit takes at most ``max_order`` on credit in one document
    (0: nothing at all)."""
    return not has_credit_limit(effective) and amount > max(max_order, 0.0)


def debt_without_limit_grows(effective, debt, amount):
    """A customer owing us money without any credit limit may only see its debt
    go down: no new credit before the previous debt is settled (POLICY.md §4, 002).

    :param debt: what the customer already owes us, on the whole exposure
        (receivables, draft invoices, goods delivered, open orders), this
        document excluded
    :param amount: new credit the checked document would grant
    """
    return not has_credit_limit(effective) and amount > 0.0 and debt > 0.0


def red_flag_review_pending(hold_enabled, pending_reviews):
    """A customer with a red flag whose event-triggered re-evaluation is not
    decided yet (approved or cancelled) is held: no order confirmation, no
    delivery (POLICY.md §1 red flags, §3: review within 48 hours; a setting).

    :param pending_reviews: open evaluations a red flag of the customer awaits
    """
    return bool(hold_enabled) and bool(pending_reviews)


def required_prepayment_percent(grade_percent, on_watch, watch_percent):
    """Share of each order the customer pays before delivery: its grade's,
    and while the customer is on watch (POLICY.md §2, seed 004: a customer
    under doubt pays e.g. 30 % first) at least the company's watch share."""
    grade_percent = max(grade_percent or 0.0, 0.0)
    if not on_watch:
        return grade_percent
    return max(grade_percent, watch_percent or 0.0)


def prepayment_due(order_total, prepayment_percent, received):
    """Part of the required prepayment share of an order not yet received.

    The grade's prepayment share (e.g. 30 % on watch, 100 % cash before
    delivery) must be received before delivery; returns 0 when it has been.
    """
    if prepayment_percent <= 0.0 or order_total <= 0.0:
        return 0.0
    required = order_total * min(prepayment_percent, 100.0) / 100.0
    return max(required - (received or 0.0), 0.0)


def temporary_limit_shortfall(exposure, effective):
    """Temporary limit that would bring the exposure back under the effective limit."""
    return max(exposure - max(effective, 0.0), 0.0)


def temporary_limit_request_amount(failures, exposure, effective):
    """Temporary limit worth requesting for a document the rules block, 0 when
    none would help.

    Over the limit, or without any limit (debt without a limit, new customer's
    order above the maximum: a temporary limit makes the effective limit
    positive, so these rules no longer apply): the shortfall, i.e. what brings
    the exposure, document included, under the effective limit. Other rules
    (overdue, hold, prepayment) are not cured by a limit.

    A credit group member over its own sub-limit: what brings its own
    exposure under its sub-limit (its temporary limits raise both).

    :param failures: the :class:`RuleFailure` of the evaluation
    """
    helped = {"over_limit", "debt_without_limit", "new_customer_max_order"}
    amount = 0.0
    if any(failure.code in helped for failure in failures):
        amount = temporary_limit_shortfall(exposure, effective)
    for failure in failures:
        if failure.code == "over_sub_limit":
            amount = max(amount, temporary_limit_shortfall(failure.figures["exposure"], failure.figures["limit"]))
    return amount


# --------------------------------------------------------------------------
# Release of a blocked delivery (POLICY.md §4: "an authorised person may
# release a blocked delivery, with the reason; the release is one-off")
# --------------------------------------------------------------------------

#: Failure code of the dunning addon's rule "shipping stopped by dunning": a
#: delivery blocked by it may only be released by a Credit Manager.
DUNNING_STOP_CODE = "dunning_stop"

# --------------------------------------------------------------------------
# Crisis signals and response levels (POLICY.md §5, seed 000 H)
# --------------------------------------------------------------------------

#: Failure codes of the crisis response: level 1 restricts shipping (a Credit
#: Controller releases each delivery), level 2 needs a Credit Manager's release,
#: level 3 stops shipping (Credit Manager) and blocks new orders.
CRISIS_RESTRICT_CODE = "crisis_restrict"
CRISIS_MANAGER_CODE = "crisis_manager"
CRISIS_STOP_CODE = "crisis_stop"
CRISIS_ORDERS_CODE = "crisis_orders"
#: Failure codes whose delivery only a Credit Manager may release.
MANAGER_RELEASE_CODES = frozenset({DUNNING_STOP_CODE, CRISIS_MANAGER_CODE, CRISIS_STOP_CODE})

#: The signal the monthly scan raises for two consecutive missed due dates: on
#: its own it calls for the second response level.
CRISIS_MISSED_PAYMENTS = "missed_payments"


def crisis_level(signal_kinds, litigation=False):
    """Response level of a customer (0 none to 3) from the kinds of its active
    crisis signals and the Credit Manager's "prepare litigation" flag.

    One signal: level 1. Two consecutive missed payments, or two signals:
    level 2. Litigation prepared, or three signals or more: level 3. Signals
    are counted by kind (the same kind recorded twice is one signal).
    """
    kinds = set(signal_kinds or ())
    if litigation or len(kinds) >= 3:
        return 3
    if CRISIS_MISSED_PAYMENTS in kinds or len(kinds) >= 2:
        return 2
    return 1 if kinds else 0


def demand_dropped(last_month, monthly_average, percent):
    """Demand of the last month below ``percent`` % of the customer's monthly
    average (zero included); customers without an average have no signal."""
    if monthly_average <= 0.0:
        return False
    return last_month < monthly_average * percent / 100.0


def payment_delay_jumped(recent_days, previous_days, jump_days):
    """Average payment delay of the recent months at least ``jump_days``
    longer than the previous months' (0 disables)."""
    if jump_days <= 0 or recent_days is None or previous_days is None:
        return False
    return recent_days - previous_days >= jump_days


def release_still_valid(released_value, current_value, tolerance_percent, expires_at, now, rounding=0.01):
    """A granted release still lets its delivery through while it has not
    expired (up to ``expires_at`` included; ``None``: granted without a
    validity period, it never expires) and the delivery's value has not grown
    beyond the released value plus ``tolerance_percent`` % (amounts equal to
    the currency's ``rounding`` count as equal).

    A delivery that grew more was not what the credit department released.
    """
    if expires_at and now > expires_at:
        return False
    ceiling = released_value * (1 + tolerance_percent / 100.0)
    return current_value - ceiling < rounding / 2


def release_covers(released_codes, failing_codes):
    """A release covers the reasons it was granted for: a rule failing since
    (credit hold, shipping stopped by dunning…) blocks the delivery again
    until someone releases it for that reason too."""
    return set(failing_codes) <= set(released_codes)


def release_needs_manager(value, manager_threshold, failure_codes, rounding=0.01):
    """Releasing a delivery of ``value`` is reserved to Credit Managers above
    the company's ``manager_threshold`` (0 = no threshold), and whenever the
    dunning process stopped shipping or the crisis response needs a manager
    (``failure_codes`` holds one of ``MANAGER_RELEASE_CODES``)."""
    over_threshold = manager_threshold > 0 and value - manager_threshold >= rounding / 2
    return over_threshold or bool(MANAGER_RELEASE_CODES & set(failure_codes))


# --------------------------------------------------------------------------
# Separation of duties (四眼原则)
# --------------------------------------------------------------------------


def four_eyes_violation(decider, requesters, earlier_deciders, enforced=True):
    """Why ``decider`` may not approve a credit request, or None.

    Nobody decides his own request (``requesters``: who asked for it or
    proposed it), and one person approves only one step of an approval chain
    (``earlier_deciders``: who approved its other steps). ``enforced`` is the
    company's setting: very small companies may relax the principle.

    :return: ``"own_request"``, ``"second_step"`` or None
    """
    if not enforced:
        return None
    if decider in requesters:
        return "own_request"
    if decider in earlier_deciders:
        return "second_step"
    return None


# --------------------------------------------------------------------------
# A limit proposed from facts (POLICY.md §2; seeds 000, 002)
# --------------------------------------------------------------------------


def limit_band_factor(bands, days_to_pay):
    """Monthly limit factor of the first band covering ``days_to_pay`` (000:
    the shorter the average payment delay, the larger the monthly limit).

    :param bands: ``(max_days, factor)`` pairs; ``max_days`` 0 or None is
        open-ended (any delay); checked from the shortest delay up
    :return: ``(factor, max_days)`` of the band, or ``(0.0, None)`` when no
        band covers the delay
    """
    ordered = sorted(bands, key=lambda band: (not band[0], band[0] or 0))
    for max_days, factor in ordered:
        if not max_days or days_to_pay <= max_days:
            return factor, max_days or None
    return 0.0, None


def above_general_manager_limit(limit, general_manager_limit, rounding=0.01):
    """Whether granting ``limit`` needs the General Manager's final review
    (seeds 000-002: 总经办终审 above the company's threshold; 0: always)."""
    return limit - general_manager_limit >= rounding / 2


def limit_step_cap(last_limit, max_increase_percent):
    """Highest limit one step may reach without a higher tier (000 D): the last
    approved limit raised by the configured share. None when there is no last
    limit to step from (a first grant)."""
    if last_limit <= 0:
        return None
    return last_limit * (1 + max_increase_percent / 100.0)


def limit_from_facts(factor, monthly_shipments, monthly_payments, grade_max_limit, step_cap=None, collateral=None):
    """Limit proposed from the customer's record: ``factor`` x the smaller of
    its average monthly shipments and payments, never above that smaller
    amount (002: a credit limit is at most the customer's average monthly
    shipments and payments, whatever his band), capped by the grade's
    maximum, by the collateral for a grade requiring it (``collateral``,
    else None) and by the step cap.

    :return: ``(limit, steps)``, steps naming the rules applied in order:
        ``("facts", base)``, then ``("monthly", cap)``, ``("grade_max", max)``,
        ``("collateral", value)`` and/or ``("step", cap)`` when they lowered
        the limit
    """
    monthly = max(min(monthly_shipments, monthly_payments), 0.0)
    base = max(factor * monthly, 0.0)
    steps = [("facts", base)]
    limit = base
    if limit > monthly:
        limit = monthly
        steps.append(("monthly", monthly))
    if limit > grade_max_limit:
        limit = grade_max_limit
        steps.append(("grade_max", grade_max_limit))
    if collateral is not None and limit > collateral:
        limit = max(collateral, 0.0)
        steps.append(("collateral", limit))
    if step_cap is not None and limit > step_cap:
        limit = step_cap
        steps.append(("step", step_cap))
    return limit, steps


def above_step_cap(limit, step_cap, rounding=0.01):
    """Whether ``limit`` raises above the step cap: a higher tier must approve."""
    return step_cap is not None and limit - step_cap > rounding / 2


def total_cap_exceeded(cap, total_before, old_limit, new_limit, rounding=0.01):
    """Whether granting ``new_limit`` instead of ``old_limit`` takes the
    company's total of granted limits above ``cap`` (002: 授信总额控制).
    Off when ``cap`` is 0; lowering a limit never needs the cap's approval.

    :return: ``(exceeded, new_total)``
    """
    new_total = total_before - old_limit + new_limit
    exceeded = cap > 0 and new_limit - old_limit > rounding / 2 and new_total - cap > rounding / 2
    return exceeded, new_total


# --------------------------------------------------------------------------
# At most one purchase, at most one purchasing cycle (POLICY.md §2, seed 001)
# --------------------------------------------------------------------------

PurchaseFacts = namedtuple("PurchaseFacts", "window_months order_count average_order cycle_days")
"""The customer's purchases over the facts window: the number of its confirmed
orders, their average value (company currency) and the average days between
consecutive days it ordered on; ``average_order`` and ``cycle_days`` are None
when there is nothing to average (no order, fewer than two order days)."""


def average_order_value(order_total, order_count):
    """The customer's typical purchase: the total of its confirmed orders over
    their number; None without orders."""
    if order_count <= 0:
        return None
    return order_total / order_count


def purchasing_cycle_days(first_day, last_day, order_days):
    """The customer's purchasing cycle: the average days between consecutive
    days it ordered on (the days from the first to the last over the gaps
    between them); None with fewer than two order days. Orders of one day
    are one purchase for the cycle."""
    if order_days < 2 or first_day is None or last_day is None:
        return None
    return (last_day - first_day).days / (order_days - 1)


def one_purchase_bounds(limit_at_most_one_purchase, term_at_most_one_cycle, facts):
    """What a grade granting credit "at most one purchase, one purchasing
    cycle" (seed 001: 赊销额度以不超过一次进货为限, 回款以不超过一个进货周期为限)
    lets this customer have: ``(max_limit, max_term_days)``, each None when it
    sets no bound: the grade's option is off, or the customer has no such
    history in the window (no order: no typical purchase; fewer than two order
    days: no cycle). A customer without orders is held by the new-customer
    rules and the grade's own maximum instead, not refused all credit.

    :param facts: PurchaseFacts, or None when not read (no bound)
    """
    if facts is None:
        return None, None
    max_limit = facts.average_order if limit_at_most_one_purchase else None
    max_term = facts.cycle_days if term_at_most_one_cycle else None
    return max_limit, max_term


def one_purchase_violations(bounds, limit, term_days, rounding=0.01):
    """Ways a limit and a term break the one-purchase bounds ``(max_limit,
    max_term_days)`` of :func:`one_purchase_bounds`.

    :return: list of ``(rule, allowed)`` pairs: ``one_purchase`` (the limit is
        above the average order), ``one_cycle`` (the term in whole days is
        longer than the purchasing cycle); empty when within (or unbounded)
    """
    max_limit, max_term = bounds
    violations = []
    if max_limit is not None and limit - max_limit > rounding / 2:
        violations.append(("one_purchase", max_limit))
    if max_term is not None and term_days > max_term:
        violations.append(("one_cycle", max_term))
    return violations
