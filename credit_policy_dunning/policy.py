"""The dunning ladder's rules as plain Python (POLICY.md §5), free of the ORM.

The engine gathers the facts set-based (days overdue of each customer's
oldest item, the stages its invoices already received, its promise to pay)
and asks these functions what to do; keeping them pure makes each rule
testable on its boundaries.
"""

from collections import namedtuple

from odoo.tools.float_utils import float_compare

StageRule = namedtuple("StageRule", "key sequence days_from days_to")
"""What the ladder rules need to know of a stage: ``key`` identifies it,
``sequence`` orders the ladder (1 = first stage), the band runs from
``days_from`` to ``days_to`` days overdue (``days_to`` 0: no upper end)."""

#: Actions of a stage.
ACTION_PHONE = "phone"
ACTION_LETTER = "letter"
ACTION_LAWYER = "lawyer"
ACTION_TERMINATION = "termination"
#: Actions that produce a written letter.
LETTER_ACTIONS = (ACTION_LETTER, ACTION_LAWYER, ACTION_TERMINATION)

#: Shipping effects of a stage, and the failure codes of the delivery rules.
SHIPPING_NONE = "none"
SHIPPING_RESTRICT = "restrict"
SHIPPING_STOP = "stop"
DUNNING_RESTRICT_CODE = "dunning_restrict"
DUNNING_STOP_CODE = "dunning_stop"  # the core reserves its release to Credit Managers
DUNNING_ORDERS_CODE = "dunning_orders"
DUNNING_LETTERS_CODE = "dunning_letters"


def band_errors(stages):
    """What is wrong with a ladder's bands, as a list of ``(key, problem)``.

    Bands start at day 1 or later, end at or after they start (0: open end,
    last stage only), and follow each other in the order of the stages
    without overlapping. ``problem`` is ``"start"``, ``"end"``, ``"open"`` or
    ``"overlap"``.
    """
    errors = []
    ordered = sorted(stages, key=lambda s: s.sequence)
    for index, stage in enumerate(ordered):
        last = index == len(ordered) - 1
        if stage.days_from < 1:
            errors.append((stage.key, "start"))
        if stage.days_to and stage.days_to < stage.days_from:
            errors.append((stage.key, "end"))
        if not stage.days_to and not last:
            errors.append((stage.key, "open"))
        if index and ordered[index - 1].days_to and stage.days_from <= ordered[index - 1].days_to:
            errors.append((stage.key, "overlap"))
        if index and stage.days_from <= ordered[index - 1].days_from:
            errors.append((stage.key, "overlap"))
    return errors


def stage_for_days(stages, days):
    """Stage of a customer whose oldest overdue item is ``days`` past due
    (POLICY.md §5): the stage whose band holds the days; in a gap between two
    bands, or beyond the last band's end, the stage last reached stays.
    ``None`` when the days are below the first band (or nothing is overdue).
    """
    reached = None
    for stage in sorted(stages, key=lambda s: s.days_from):
        if days >= stage.days_from:
            reached = stage
    return reached


def next_stage(stages, stage):
    """The stage after ``stage`` in the ladder (the first one after none),
    the last stage staying the last."""
    ordered = sorted(stages, key=lambda s: s.sequence)
    if not ordered:
        return None
    if stage is None:
        return ordered[0]
    later = [s for s in ordered if s.sequence > stage.sequence]
    return later[0] if later else ordered[-1]


def stage_is_due(stage, lowest_reached_sequence):
    """Never the same stage twice for the same invoices: a customer gets the
    action of ``stage`` when at least one of its overdue invoices has not yet
    received this stage or a later one (``lowest_reached_sequence`` is the
    lowest, over its overdue invoices, of the highest stage each received;
    0 for an invoice never dunned)."""
    return stage is not None and (lowest_reached_sequence or 0) < stage.sequence


def promise_state(
    promise_date, run_date, promised_open_now, overdue_at_promise, promised_amount, tolerance, rounding=0.01
):
    """State of a customer's promise to pay on ``run_date``.

    A promise is about the items overdue when it was recorded, then
    ``overdue_at_promise`` in all; ``promised_open_now`` is what is left of
    those same items (both net of the customer's credit on account). What
    they went down by is what the customer paid: invoices falling due since
    do not count against the promise.

    * ``None``: no promise;
    * ``"pending"``: the promised date has not passed yet, escalation pauses;
    * ``"kept"``: the date passed and the customer paid the promised amount
      at least (small differences up to ``tolerance`` ignored), the amounts
      compared at the currency's ``rounding`` (to the cent, not to the
      float: 1,000.14 - 500.04 is 500.10);
    * ``"broken"``: the date passed without that payment, the customer
      moves to the next stage at once.
    """
    if not promise_date:
        return None
    if run_date <= promise_date:
        return "pending"
    paid = (overdue_at_promise or 0.0) - (promised_open_now or 0.0)
    if float_compare(paid + (tolerance or 0.0), promised_amount or 0.0, precision_rounding=rounding) >= 0:
        return "kept"
    return "broken"


def stage_for_customer(stages, days, current_stage, promise):
    """The stage proposed for a customer whose oldest overdue item is ``days``
    past due, standing at ``current_stage`` (a StageRule or None), with the
    ``promise`` state of :func:`promise_state`.

    A pending promise pauses escalation (``None``: nothing proposed); a
    broken one escalates at once to the stage after the current one, or
    further if the days say so.
    """
    if promise == "pending":
        return None
    stage = stage_for_days(stages, days)
    if promise == "broken":
        escalated = next_stage(stages, current_stage)
        if stage is None or (escalated and escalated.sequence > stage.sequence):
            stage = escalated
    return stage


def escalation_holds(escalated, escalation_oldest_due, oldest_due):
    """A broken promise moves the customer one stage up at once (see
    :func:`stage_for_customer`), above the stage of its days. That stage
    holds while the items it was about are still overdue: ``escalated``
    when the customer's current stage came from a broken promise, whose
    oldest item was due on ``escalation_oldest_due``; ``oldest_due``: the
    customer's oldest dunnable item now (that item, or an older one, is
    still open)."""
    return bool(escalated and escalation_oldest_due and oldest_due and oldest_due <= escalation_oldest_due)


def active_stage(stages, days, current_stage, holds=False):
    """The stage whose effects (shipping, new orders) apply to a customer at
    ``current_stage`` whose oldest dunnable item is ``days`` past due: the
    stage follows the days (POLICY.md §5), so paying or disputing the items
    that took the customer up lifts their stage's effects at once, down to
    the stage of what is left (``None``: none). Only a broken promise's
    escalation that still ``holds`` (:func:`escalation_holds`) keeps the
    stage above the days'. Upwards the runs decide: the letter announcing
    an effect comes before the effect."""
    if current_stage is None or holds:
        return current_stage
    by_days = stage_for_days(stages, days)
    if by_days is None or by_days.sequence < current_stage.sequence:
        return by_days
    return current_stage


def stage_without_action(stages, days, current_stage, promise, holds=False):
    """Where a run puts a customer for whom no action is due (every overdue
    item already received the stage of its days, or a later one), standing
    at ``current_stage``, with the ``promise`` state of :func:`promise_state`:
    the stage follows the days overdue of the oldest item (POLICY.md §5).

    * down to :func:`active_stage` after the items that took the customer up
      were paid or disputed (off the ladder if the days are below the
      first band);
    * up to the stage of its days as what is left grows older, its letter
      already received (a pending promise pauses this too).

    :return: ``(moves, stage)``: whether the customer moves, and to which
        stage (a StageRule, ``None``: off the ladder)
    """
    lower = active_stage(stages, days, current_stage, holds)
    if current_stage is not None and (lower is None or lower.key != current_stage.key):
        return True, lower
    by_days = stage_for_days(stages, days)
    if promise == "pending" or by_days is None:
        return False, current_stage
    if current_stage is None or by_days.sequence > current_stage.sequence:
        return True, by_days
    return False, current_stage


def next_action_days(stages, stage):
    """Days overdue at which the stage after ``stage`` begins (``None`` at the
    last stage): the customer's next action date is its oldest due date plus
    these days."""
    following = next_stage(stages, stage)
    if following is None or stage is None or following.sequence <= stage.sequence:
        return None
    return following.days_from


def letters_exceeded(letter_count, max_letters):
    """Seed 001: the number of dunning letters may not exceed ``max_letters``
    (0 disables the rule). Callers count only letters on open invoices above
    the small-amount tolerance."""
    return max_letters > 0 and letter_count > max_letters
