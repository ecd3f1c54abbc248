"""The credit policy's rules as plain Python (POLICY.md), free of the ORM.

Each function states one rule in the words of the policy; the models gather
the figures (in company currency) and call these to decide. Keeping them pure
makes every rule testable on its boundaries and gives each rule one home.
"""

from dataclasses import dataclass, field

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


def has_credit_limit(effective):
    """A customer without any (effective) limit is governed by the new-customer rule."""
    return effective > 0.0


def usage_percent(exposure, effective):
    """Share of the effective limit in use; 0 when the customer has no limit."""
    if not has_credit_limit(effective):
        return 0.0
    return exposure / effective * 100.0


def available_credit(exposure, effective):
    """Room left under the effective limit (negative when over it)."""
    return effective - exposure


def usage_band(exposure, effective_limit, warn_percent, alert_percent):
    """Band of the usage: ok, warn (≥ warn %), alert (≥ alert %) or over the limit.

    A customer without a limit has no usage and stays "ok": POLICY.md §4 gives
    such customers a maximum order value instead.
    """
    if not has_credit_limit(effective_limit):
        return BAND_OK
    if exposure > effective_limit:
        return BAND_OVER
    usage = usage_percent(exposure, effective_limit)
    if usage >= alert_percent:
        return BAND_ALERT
    if usage >= warn_percent:
        return BAND_WARN
    return BAND_OK


def credit_status(band, on_hold):
    """Status shown on the customer: credit hold outranks any usage band."""
    return STATUS_HOLD if on_hold else band


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


def exceeds_effective_limit(exposure, effective):
    """Exposure may not exceed the effective limit (only for customers with a limit)."""
    return has_credit_limit(effective) and exposure > effective


def exceeds_sub_limit(member_exposure, member_limit):
    """A credit group member with its own sub-limit may not exceed it either."""
    return member_limit > 0.0 and member_exposure > member_limit


def overdue_share_exceeded(overdue_amount, receivable_amount, max_percent, tolerance):
    """Overdue amount may not exceed ``max_percent`` % of the open receivables.

    Disabled when ``max_percent`` is 0; overdue amounts up to ``tolerance`` are
    ignored (small amounts).
    """
    if max_percent <= 0.0 or overdue_amount <= tolerance or receivable_amount <= 0.0:
        return False
    return overdue_amount / receivable_amount * 100.0 > max_percent


def overdue_days_exceeded(oldest_overdue_days, max_days):
    """The oldest overdue item may not be older than ``max_days`` (0 disables).

    Callers pass the age of the oldest item above the small-amount tolerance.
    """
    return max_days > 0 and oldest_overdue_days > max_days


def new_customer_order_exceeded(effective, amount, max_order):
    """A customer without a limit may not order more than ``max_order`` (0 disables)."""
    return not has_credit_limit(effective) and max_order > 0.0 and amount > max_order


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
