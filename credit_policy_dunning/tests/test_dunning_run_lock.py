from contextlib import closing

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.credit_policy.tools import company_date


@tagged("post_install", "-at_install")
class TestDunningRunLock(TransactionCase):
    """One dunning run at a time per company, across two real transactions:
    while one holds the company's run lock, a second caller is told at once
    instead of waiting or running twice; another company is not held up."""

    def test_second_caller_gets_a_clear_message(self):
        company = self.env.ref("base.main_company")
        today = company_date(company, company)  # the day its scheduled run works for
        with closing(self.registry.cursor()) as cr_first, closing(self.registry.cursor()) as cr_second:
            first = api.Environment(cr_first, SUPERUSER_ID, {})
            first["credit.policy.dunning.run"]._lock_company(first["res.company"].browse(company.id))
            second = api.Environment(cr_second, SUPERUSER_ID, {})
            Run = second["credit.policy.dunning.run"]
            with self.assertRaisesRegex(UserError, "in progress"):
                Run._prepare(second["res.company"].browse(company.id), today)
            cr_second.rollback()
            # Once the first transaction ends, the second may run.
            cr_first.rollback()
            Run._lock_company(second["res.company"].browse(company.id))
            cr_second.rollback()
