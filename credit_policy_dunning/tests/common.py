from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.credit_policy.tests.common import CreditExposureCommon


class DunningCommon(CreditExposureCommon):
    """The test company's standard ladder (a copy of the six default stages),
    a customer with a salesperson and an email address, and one user per
    role of the dunning process."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company.write(
            {
                "credit_overdue_tolerance_amount": 10.0,
                "credit_max_overdue_percent": 0.0,
                "credit_max_overdue_days": 0,
                "credit_no_limit_mode": "unrestricted",
                "credit_dunning_max_letters": 0,
                "credit_release_manager_amount": 0.0,
            }
        )
        cls.ladder = cls.env["credit.policy.dunning.ladder"]._default_for(cls.company)
        cls.stages = {stage.sequence: stage for stage in cls.ladder.stage_ids}
        company_vals = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.controller = new_test_user(
            cls.env, "dun_controller", groups="credit_policy.group_credit_policy_controller", **company_vals
        )
        cls.manager = new_test_user(
            cls.env, "dun_manager", groups="credit_policy.group_credit_policy_manager", **company_vals
        )
        cls.salesperson = new_test_user(
            cls.env, "dun_sales", groups="sales_team.group_sale_salesman", **company_vals
        )
        cls.warehouse_user = new_test_user(cls.env, "dun_stock", groups="stock.group_stock_user", **company_vals)
        cls.customer.write({"user_id": cls.salesperson.id, "email": "customer@example.com", "lang": "en_US"})
        cls.today = fields.Date.context_today(cls.env.user)

    @classmethod
    def _overdue_invoice(cls, partner, amount, days, company=None, post=True):
        """A posted invoice of ``amount`` due ``days`` days ago."""
        company = company or cls.company
        due = cls.today - timedelta(days=days)
        invoice = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_date": due,
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create({"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})
                    ],
                }
            )
        )
        if post:
            invoice.action_post()
        return invoice

    def _foreign_overdue_invoice(self, amount, days):
        """A posted invoice of ``amount`` in a foreign currency (EUR, or USD
        for a EUR company) at the rate of 0.5, due ``days`` days ago:
        ``(invoice, its currency)``."""
        company_currency = self.company.currency_id
        other = self.env.ref("base.EUR") if company_currency.name != "EUR" else self.env.ref("base.USD")
        other.active = True
        invoice = self._overdue_invoice(self.customer, amount, days, post=False)
        self.env["res.currency.rate"].search([("currency_id", "=", other.id)]).unlink()
        self.env["res.currency.rate"].create(
            {"name": invoice.invoice_date, "rate": 0.5, "currency_id": other.id, "company_id": self.company.id}
        )
        invoice.currency_id = other
        invoice.action_post()
        return invoice, other

    def _receivable_line(self, invoice):
        return invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")

    def _prepare(self, user=None, date=None, partners=None, company=None, ladder=None):
        company = company or self.company
        Run = self.env["credit.policy.dunning.run"].with_user(user or self.controller).with_company(company)
        return Run._prepare(company, date or self.today, ladder, partners)

    def _run(self, user=None, date=None, partners=None, company=None):
        """Prepare and execute a run; return it (empty when nothing was due)."""
        run = self._prepare(user=user, date=date, partners=partners, company=company)
        if run:
            run.action_execute()
        return run

    def _line(self, run, partner=None):
        return run.sudo().line_ids.filtered(lambda line: line.partner_id == (partner or self.customer))

    def _stage(self, partner=None, company=None):
        partner = (partner or self.customer).sudo().with_company(company or self.company)
        partner.invalidate_recordset()
        return partner.dunning_stage_id
