from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditAccess(CreditExposureCommon):
    """Access rights per group on the models of the exposure part."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        kw = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.plain = new_test_user(cls.env, "ac_plain", groups="base.group_user", **kw)
        cls.credit_user = new_test_user(
            cls.env, "ac_credit", groups="credit_policy.group_credit_policy_user", **kw
        )
        cls.salesman = new_test_user(cls.env, "ac_sales", groups="sales_team.group_sale_salesman", **kw)
        cls.manager = new_test_user(
            cls.env, "ac_mgr", groups="credit_policy.group_credit_policy_manager", **kw
        )
        cls.status = cls.env["credit.policy.check"]._lock_credit_account(cls.customer, cls.company)
        cls.request = cls.env["credit.policy.temporary.limit"].with_user(cls.salesman).create(
            {"partner_id": cls.customer.id, "amount": 100.0, "reason": "Test"}
        ).with_env(cls.env)

    def test_status(self):
        self.status.with_user(self.credit_user).read(["band", "usage_percent"])
        with self.assertRaises(AccessError):
            self.status.with_user(self.plain).read(["band"])
        with self.assertRaises(AccessError):
            self.status.with_user(self.credit_user).write({"band": "over"})
        self.status.with_user(self.manager).write({"band": "ok"})

    def test_temporary_limit(self):
        with self.assertRaises(AccessError):
            self.request.with_user(self.plain).read(["amount"])
        request = self.request.with_user(self.salesman)
        request.write({"amount": 150.0})
        request.action_request_approval()
        with self.assertRaises(AccessError):
            request.unlink()
        with self.assertRaises(AccessError):
            request.write({"state": "approved"})
        self.request.with_user(self.manager).validate_tier()
        self.assertEqual(self.request.state, "approved")

    def test_other_company_invisible(self):
        company_2 = self.setup_other_company()["company"]
        other = self.env["credit.policy.temporary.limit"].create(
            {"partner_id": self.customer.id, "amount": 5.0, "reason": "x", "company_id": company_2.id}
        )
        found = self.env["credit.policy.temporary.limit"].with_user(self.manager).search([])
        self.assertNotIn(other, found)
        self.assertIn(self.request, found)

    def test_wizard_for_salesperson(self):
        order = self._order(self.customer, 20, confirm=False)
        self.company.credit_check_mode = "block"
        action = order.with_user(self.salesman).action_confirm()
        wizard = self.env[action["res_model"]].with_user(self.salesman).browse(action["res_id"])
        wizard.action_request_temporary_limit()

    def test_documents_behind_a_figure_the_role_cannot_read_are_refused_plainly(self):
        """A credit user without accounting rights sees the exposure figure;
        the journal items behind it are refused with a sentence, not an
        access error on the list."""
        partner = self.customer.with_user(self.credit_user)
        self.assertFalse(self.env["account.move.line"].with_user(self.credit_user).has_access("read"))
        with self.assertRaisesRegex(UserError, "your role does not show"):
            partner.action_view_credit_receivables()
        action = self.customer.with_user(self.manager).action_view_credit_receivables()
        self.assertEqual(action["res_model"], "account.move.line")

    def test_temporary_limit_from_held_orders_one_at_a_time(self):
        orders = self._order(self.customer, 1, confirm=False) | self._order(self.customer, 2, confirm=False)
        with self.assertRaisesRegex(UserError, "one order at a time"):
            orders.with_user(self.manager).action_credit_request_temporary_limit()
