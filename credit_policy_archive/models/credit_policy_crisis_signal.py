from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.credit_policy.tools import company_tz

from .. import policy

#: The scan kind this addon adds: it reads the contacts and visits of the credit file.
NO_CONTACT = "no_contact"


class CreditPolicyCrisisSignal(models.Model):
    """Communication breaking off (POLICY.md §3, seed 004: "anomalies to watch
    monthly: ... communication breaking off") as a crisis signal of the
    monthly scan: contacts and visits are recorded in the credit file, so the
    kind lives here."""

    _inherit = "credit.policy.crisis.signal"

    kind = fields.Selection(
        selection_add=[(NO_CONTACT, "Communication Broken Off")],
        ondelete={NO_CONTACT: "cascade"},
    )

    @api.model
    def _scan_kinds(self):
        return (*super()._scan_kinds(), NO_CONTACT)

    @api.model
    def _scan_findings(self, company, today):
        findings = super()._scan_findings(company, today)
        for partner_id, description in self._scan_no_contact(company, today).items():
            findings[(partner_id, NO_CONTACT)] = description
        return findings

    @api.model
    def _scan_no_contact_sql(self, company, today):
        """SQL selecting the customers of ``company``'s credit control area
        with open exposure and no contact for more than the area's days on
        ``today``, with the day they were last in contact.

        Watched: the customers with an active credit file in the area (the
        file is where contacts are recorded). Their last contact is the
        latest contact or visit recorded in any of their files of the area,
        else the day their first file was opened (in the company's calendar).
        Open exposure: open receivables net of the credit on account
        (:meth:`credit.policy.check._sql_items_net_of_credit`), or confirmed
        order lines delivered and not invoiced or still to deliver within the
        horizon (:meth:`credit.policy.check._sql_order_line_exposure`).

        Columns: ``partner_id`` (commercial), ``last_contact``."""
        check = self.env["credit.policy.check"]
        area = check._credit_area(company)
        company_ids = check._credit_area_company_ids(company)
        # files, visits, receivables, orders and their deliveries
        self.env.flush_all()
        since = policy.quiet_cutoff(today, area.credit_crisis_no_contact_days)
        return SQL(
            """
            WITH contact AS (
                SELECT f.partner_id,
                       COALESCE(
                           MAX(v.date),
                           MIN((f.create_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date)
                       ) AS last_contact
                  FROM credit_policy_archive_file f
             LEFT JOIN credit_policy_archive_visit v ON v.file_id = f.id
                 WHERE f.company_id IN %(companies)s
              GROUP BY f.partner_id
                HAVING bool_or(f.active)
            ), exposed AS (
                SELECT partner_id FROM (%(receivables)s) r WHERE r.net > 0
                 UNION
                SELECT partner_id FROM (%(order_lines)s) l WHERE l.delivered > 0 OR l.open > 0
            )
            SELECT c.partner_id, c.last_contact
              FROM contact c
              JOIN exposed e ON e.partner_id = c.partner_id
             WHERE c.last_contact < %(since)s
            """,
            tz=company_tz(self, area),
            companies=company_ids,
            receivables=check._sql_items_net_of_credit(company_ids),
            order_lines=check._sql_order_line_exposure(company),
            since=since,
        )

    @api.model
    def _scan_no_contact(self, company, today):
        """Customers with open exposure and no contact or visit recorded in
        their credit file for more than the company's days (0 disables).

        The description says only how long, not when or what was last
        recorded: the credit file is confidential, the signal is not."""
        days = self.env["credit.policy.check"]._credit_area(company).credit_crisis_no_contact_days
        if not policy.quiet_cutoff(today, days):
            return {}
        rows = self.env.execute_query(self._scan_no_contact_sql(company, today))
        return {
            partner_id: self.env._(
                "Owes us money or has open orders, and no contact or visit was recorded in its credit file "
                "for more than %(days)s days.",
                days=days,
            )
            for partner_id, _last_contact in rows
        }
