from contextlib import closing

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import ConcurrentTransactionMixin


@tagged("post_install", "-at_install")
class TestCreditTotalCapJudgedInSequence(ConcurrentTransactionMixin, TransactionCase):
    """The company caps the total credit granted (授信总额控制) with 1,500 of
    room left. A Credit Manager raises two customers' limits by 1,000 each at
    the same time (Change Credit, two real transactions): each fits alone,
    together they do not. The second must wait for the first's lock on the
    company's cap, then be refused, instead of both granting 2,000 beyond what
    the cap leaves without the General Manager. The data is committed, and
    removed at the end."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"credit_policy_reason": "Test fixture"})
            self.credit_manager = env.ref("credit_policy.user_credit_manager_demo")
            company = self.credit_manager.company_id
            self.company_id = company.id
            self.saved_cap = company.credit_total_limit_cap
            self.saved_cap_exposure = company.credit_total_cap_exposure
            customers = env["res.partner"].create(
                [{"name": f"Concurrent Cap Customer {i}", "is_company": True} for i in (1, 2)]
            )
            for customer in customers:
                customer.with_company(company)._credit_policy_set_master_data(
                    {"credit_limit": 10000.0}, reason="Test fixture"
                )
            company.write(
                {
                    "credit_total_limit_cap": company._credit_total_granted_limits() + 1500.0,
                    "credit_total_cap_exposure": False,
                }
            )
            self.customer_ids = customers.ids
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.company"].browse(self.company_id).write(
                {"credit_total_limit_cap": self.saved_cap, "credit_total_cap_exposure": self.saved_cap_exposure}
            )
            for query in (
                "DELETE FROM mail_activity WHERE res_model = 'res.partner' AND res_id = ANY(%s)",
                "DELETE FROM mail_followers WHERE res_model = 'res.partner' AND res_id = ANY(%s)",
                "DELETE FROM mail_message WHERE model = 'res.partner' AND res_id = ANY(%s)",
                "DELETE FROM credit_policy_limit_change_wizard WHERE partner_id = ANY(%s)",
                "DELETE FROM credit_policy_limit_history WHERE partner_id = ANY(%s)",
                "DELETE FROM credit_policy_status WHERE partner_id = ANY(%s)",
                "DELETE FROM res_partner WHERE id = ANY(%s)",
            ):
                cr.execute(query, [self.customer_ids])
            env.invalidate_all()

    def _change_credit(self, env, customer_id, limit):
        wizard = (
            env["credit.policy.limit.change.wizard"]
            .with_user(self.credit_manager.id)
            .create({"partner_id": customer_id, "credit_limit": limit, "reason": "Volume grows"})
        )
        wizard.action_apply()
        return "applied"

    def test_second_raise_waits_then_is_refused_at_the_cap(self):
        first_id, second_id = self.customer_ids
        with self.registry.cursor() as cr_first:
            env_first = api.Environment(cr_first, SUPERUSER_ID, {})
            self.assertEqual(self._change_credit(env_first, first_id, 11000.0), "applied", "1,000 fits alone")
            # Leaving the block commits the first raise and releases the lock.
            thread, outcome = self._start_waiting_transaction(
                lambda env: self._change_credit(env, second_id, 11000.0)
            )
        thread.join()
        self.assertIsInstance(outcome["result"], UserError)
        self.assertIn("caps the total credit granted", str(outcome["result"]))
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            customers = env["res.partner"].browse(self.customer_ids).with_company(self.company_id)
            self.assertEqual(customers.mapped("credit_limit"), [11000.0, 10000.0])
