from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.credit_policy_dunning import policy


class CreditPolicyDunningEngine(models.AbstractModel):
    """Selection of what to dun (POLICY.md §5), set-based.

    Dunning works per credit control area (``credit.policy.check._credit_area``):
    a branch has none of its own, its invoices are dunned with its root
    company's, whatever company the caller names. One query finds, for an
    area and a date, every customer's overdue receivables in company
    currency: posted, open receivable lines of the area's companies due
    before the date, net of the customer's unallocated payments and credit
    notes (applied to the oldest items first), lines of invoices excluded
    from dunning (disputed) left out, residuals up to the area's small
    amount tolerance ignored. The stage choice itself is
    :mod:`credit_policy_dunning.policy`.
    """

    _name = "credit.policy.dunning.engine"
    _description = "Dunning Engine"

    @api.model
    def _dunnable_items_sql(self, company, date, partners=None):
        """SQL selecting the dunnable overdue items of the credit control area
        of ``company`` on ``date`` (see the class): ``id, partner_id`` (the
        commercial partner), ``date_maturity, residual`` (net of the credit on
        account). The one home of what is dunnable: the runs select these
        items, the letter count counts the letters about them."""
        check = self.env["credit.policy.check"]
        customers = SQL("TRUE")
        if partners is not None:
            customers = SQL("p.commercial_partner_id = ANY(%s)", list(partners.commercial_partner_id.ids))
        netted = check._sql_items_net_of_credit(
            check._credit_area_company_ids(company),
            items=SQL("aml.date_maturity < %s AND NOT COALESCE(am.dunning_excluded, FALSE)", date),
            partners=customers,
        )
        return SQL(
            "SELECT id, partner_id, date_maturity, net AS residual FROM (%s) items WHERE net > %s",
            netted,
            check._credit_area(company).credit_overdue_tolerance_amount or 0.0,
        )

    @api.model
    def _overdue_query(self, company, date, partners=None):
        """SQL returning one row per customer with dunnable overdue items:
        ``partner_id, oldest_due, amount, line_ids, residuals, lowest_reached,
        promised_open`` (``lowest_reached``: see :func:`policy.stage_is_due`;
        ``promised_open``: what is left of the items that were overdue when
        the customer's promise to pay was recorded, see
        :func:`policy.promise_state`)."""
        area = self.env["credit.policy.check"]._credit_area(company)
        promise_recorded = self.env["res.partner"].sudo().with_company(area)._field_to_sql(
            "cp", "dunning_promise_recorded_date"
        )
        return SQL(
            """
            WITH kept AS (%(dunnable)s), reached AS (
                SELECT rel.move_line_id, MAX(st.sequence) AS sequence
                  FROM credit_policy_dunning_line_move_line_rel rel
                  JOIN credit_policy_dunning_line dl ON dl.id = rel.dunning_line_id
                  JOIN credit_policy_dunning_stage st ON st.id = dl.stage_id
                 WHERE dl.state = 'done'
                   AND rel.move_line_id IN (SELECT id FROM kept)
              GROUP BY rel.move_line_id
            )
            SELECT k.partner_id,
                   MIN(k.date_maturity),
                   SUM(k.residual),
                   ARRAY_AGG(k.id ORDER BY k.date_maturity, k.id),
                   ARRAY_AGG(k.residual ORDER BY k.date_maturity, k.id),
                   MIN(COALESCE(r.sequence, 0)),
                   -- (a promise recorded before its date was kept: about every item overdue now)
                   COALESCE(SUM(k.residual) FILTER (
                       WHERE k.date_maturity < COALESCE(%(promise_recorded)s, 'infinity'::date)
                   ), 0)
              FROM kept k
              JOIN res_partner cp ON cp.id = k.partner_id
         LEFT JOIN reached r ON r.move_line_id = k.id
          GROUP BY k.partner_id
          ORDER BY k.partner_id
            """,
            dunnable=self._dunnable_items_sql(area, date, partners),
            promise_recorded=promise_recorded,
        )

    @api.model
    def _overdue_facts(self, company, date, partners=None):
        """Dunnable overdue facts per customer on ``date`` (one query), in the
        credit control area of ``company``.

        :return: ``{partner id: {"oldest_due", "days", "amount", "line_ids",
            "residuals" ({move line id: residual}), "lowest_reached",
            "promised_open"}}``
        """
        for model in ("account.move.line", "account.move", "account.account", "res.partner", "credit.policy.dunning.line"):
            self.env[model].flush_model()
        currency = self.env["credit.policy.check"]._credit_area(company).currency_id
        rows = self.env.execute_query(self._overdue_query(company, date, partners))
        return {
            partner_id: {
                "oldest_due": oldest,
                "days": (date - oldest).days,
                "amount": currency.round(amount),
                "line_ids": line_ids,
                "residuals": dict(zip(line_ids, residuals)),
                "lowest_reached": lowest,
                "promised_open": currency.round(promised_open),
            }
            for partner_id, oldest, amount, line_ids, residuals, lowest, promised_open in rows
        }

    @api.model
    def _escalations(self, company, partners):
        """The customers among ``partners`` whose current stage in the credit
        control area of ``company`` came from a broken promise to pay (their
        last action, see :func:`policy.escalation_holds`), with the oldest
        due date of the items that action was about: ``{partner id: date}``."""
        area = self.env["credit.policy.check"]._credit_area(company)
        partners = partners.commercial_partner_id.sudo().with_company(area)
        if not partners:
            return {}
        self.env["credit.policy.dunning.line"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (partner_id) partner_id, stage_id, promise_state, oldest_due_date
                  FROM credit_policy_dunning_line
                 WHERE company_id = %s AND state = 'done' AND partner_id = ANY(%s)
              ORDER BY partner_id, date DESC, id DESC
                """,
                area.id,
                partners.ids,
            )
        )
        current = {partner.id: partner.dunning_stage_id.id for partner in partners}
        return {
            partner_id: oldest_due
            for partner_id, stage_id, promise, oldest_due in rows
            if promise == "broken" and stage_id == current.get(partner_id)
        }

    @api.model
    def _letter_count_sql(self, partner, company, exact=True):
        """Seed 001, as a scalar SQL query (a fact of the credit check): the
        letters the customer received in the credit control area of
        ``company`` about items still dunnable today (open above the
        small-amount tolerance once its credit on account is netted, as the
        runs select them). A letter whose invoices were paid, or left open
        only up to the tolerance, no longer counts.

        With ``exact`` False, the letters above the tolerance about items not
        reconciled yet: never fewer, and much cheaper to plan (no netting),
        for the check to count exactly only the customers it may stop."""
        area = self.env["credit.policy.check"]._credit_area(company)
        if exact:
            items = SQL(
                "JOIN (%s) item ON item.id = rel.move_line_id",
                self._dunnable_items_sql(area, fields.Date.context_today(self), partner),
            )
            letters = SQL("TRUE")
        else:
            items = SQL("JOIN account_move_line item ON item.id = rel.move_line_id AND NOT item.reconciled")
            letters = SQL("dl.amount_total > %s", area.credit_overdue_tolerance_amount or 0.0)
        return SQL(
            """
            SELECT COUNT(*)
              FROM credit_policy_dunning_line dl
              JOIN credit_policy_dunning_stage st ON st.id = dl.stage_id
             WHERE dl.partner_id = %(partner)s
               AND dl.company_id = %(company)s
               AND dl.state = 'done'
               AND st.action IN %(actions)s
               AND %(letters)s
               AND dl.id IN (
                   SELECT rel.dunning_line_id
                     FROM credit_policy_dunning_line_move_line_rel rel
                     %(items)s
               )
            """,
            partner=partner.commercial_partner_id.id,
            company=area.id,
            actions=policy.LETTER_ACTIONS,
            letters=letters,
            items=items,
        )
