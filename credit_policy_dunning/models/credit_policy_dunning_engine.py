from odoo import api, models
from odoo.tools import SQL

from odoo.addons.credit_policy_dunning import policy


class CreditPolicyDunningEngine(models.AbstractModel):
    """Selection of what to dun (POLICY.md §5), set-based.

    One query finds, for a company and a date, every customer's overdue
    receivables in company currency: posted, open receivable lines due
    before the date, net of the customer's unallocated payments and credit
    notes (applied to the oldest items first), lines of invoices excluded
    from dunning (disputed) left out, residuals up to the company's small
    amount tolerance ignored. The stage choice itself is
    :mod:`credit_policy_dunning.policy`.
    """

    _name = "credit.policy.dunning.engine"
    _description = "Dunning Engine"

    @api.model
    def _overdue_query(self, company, date, partners=None):
        """SQL returning one row per customer with dunnable overdue items:
        ``partner_id, oldest_due, amount, line_ids, residuals, lowest_reached``
        (``lowest_reached``: see :func:`policy.stage_is_due`)."""
        partner_filter = SQL("TRUE")
        if partners is not None:
            partner_filter = SQL("p.commercial_partner_id = ANY(%s)", list(partners.commercial_partner_id.ids))
        return SQL(
            """
            WITH credits AS (
                SELECT p.commercial_partner_id AS partner_id, -SUM(aml.amount_residual) AS amount
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE aml.company_id = %(company)s
                   AND acc.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND NOT aml.reconciled
                   AND aml.amount_residual < 0
                   AND %(partner_filter)s
              GROUP BY p.commercial_partner_id
            ), overdue AS (
                SELECT aml.id, p.commercial_partner_id AS partner_id, aml.date_maturity,
                       aml.amount_residual AS residual,
                       SUM(aml.amount_residual) OVER (
                           PARTITION BY p.commercial_partner_id ORDER BY aml.date_maturity, aml.id
                       ) AS running
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                  JOIN account_account acc ON acc.id = aml.account_id
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE aml.company_id = %(company)s
                   AND acc.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND NOT aml.reconciled
                   AND aml.amount_residual > 0
                   AND aml.date_maturity < %(date)s
                   AND NOT COALESCE(am.dunning_excluded, FALSE)
                   AND %(partner_filter)s
            ), kept AS (
                SELECT o.id, o.partner_id, o.date_maturity,
                       LEAST(o.residual, o.running - COALESCE(c.amount, 0)) AS residual
                  FROM overdue o
             LEFT JOIN credits c ON c.partner_id = o.partner_id
                 WHERE LEAST(o.residual, o.running - COALESCE(c.amount, 0)) > %(tolerance)s
            ), reached AS (
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
                   MIN(COALESCE(r.sequence, 0))
              FROM kept k
         LEFT JOIN reached r ON r.move_line_id = k.id
          GROUP BY k.partner_id
          ORDER BY k.partner_id
            """,
            company=company.id,
            date=date,
            tolerance=company.credit_overdue_tolerance_amount or 0.0,
            partner_filter=partner_filter,
        )

    @api.model
    def _overdue_facts(self, company, date, partners=None):
        """Dunnable overdue facts per customer on ``date`` (one query).

        :return: ``{partner id: {"oldest_due", "days", "amount", "line_ids",
            "residuals" ({move line id: residual}), "lowest_reached"}}``
        """
        for model in ("account.move.line", "account.move", "account.account", "res.partner", "credit.policy.dunning.line"):
            self.env[model].flush_model()
        rows = self.env.execute_query(self._overdue_query(company, date, partners))
        return {
            partner_id: {
                "oldest_due": oldest,
                "days": (date - oldest).days,
                "amount": company.currency_id.round(amount),
                "line_ids": line_ids,
                "residuals": dict(zip(line_ids, residuals)),
                "lowest_reached": lowest,
            }
            for partner_id, oldest, amount, line_ids, residuals, lowest in rows
        }

    @api.model
    def _letter_count_sql(self, partner, company):
        """Seed 001, as a scalar SQL query (a fact of the credit check): the
        letters the customer received about invoices still open, letters on
        small amounts (up to the tolerance) not counted."""
        return SQL(
            """
            SELECT COUNT(*)
              FROM credit_policy_dunning_line dl
              JOIN credit_policy_dunning_stage st ON st.id = dl.stage_id
             WHERE dl.partner_id = %(partner)s
               AND dl.company_id = %(company)s
               AND dl.state = 'done'
               AND st.action IN %(actions)s
               AND dl.amount_total > %(tolerance)s
               AND EXISTS (
                   SELECT 1
                     FROM credit_policy_dunning_line_move_line_rel rel
                     JOIN account_move_line aml ON aml.id = rel.move_line_id
                    WHERE rel.dunning_line_id = dl.id AND NOT aml.reconciled
               )
            """,
            partner=partner.commercial_partner_id.id,
            company=company.id,
            actions=policy.LETTER_ACTIONS,
            tolerance=company.credit_overdue_tolerance_amount or 0.0,
        )
