from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditTemporaryLimit(CreditExposureCommon):
    """Temporary limits: approval chain, effect on the effective limit, expiry."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ids = [cls.company.id]
        cls.salesman = new_test_user(
            cls.env, "tl_sales", groups="sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=company_ids,
        )
        cls.credit_manager = new_test_user(
            cls.env, "tl_credit_mgr", groups="credit_policy.group_credit_policy_manager",
            company_id=cls.company.id, company_ids=company_ids,
        )
        cls.general_manager = new_test_user(
            cls.env, "tl_gm", groups="credit_policy.group_credit_policy_general_manager",
            company_id=cls.company.id, company_ids=company_ids,
        )

    def _request(self, amount, user=None, **vals):
        TempLimit = self.env["credit.policy.temporary.limit"].with_user(user or self.salesman)
        return TempLimit.create(
            dict({"partner_id": self.customer.id, "amount": amount, "reason": "Big deal"}, **vals)
        )

    def test_raises_effective_limit_then_expires(self):
        request = self._request(500.0)
        self.assertTrue(request.name.startswith("TL/"))
        request.action_request_approval()
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(self._figures(self.customer)["effective_limit"], 1000.0)
        request.with_user(self.credit_manager).validate_tier()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approved_uid, self.credit_manager)
        figures = self._figures(self.customer)
        self.assertEqual((figures["temporary_limit"], figures["effective_limit"]), (500.0, 1500.0))
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.credit_effective_limit, 1500.0)
        # Still valid on its last day, expired the day after.
        request.sudo().write({"date_from": fields.Date.today() - timedelta(days=20),
                              "date_to": fields.Date.today()})
        self.env["credit.policy.temporary.limit"]._cron_expire()
        self.assertEqual(request.state, "approved")
        request.sudo().date_to = fields.Date.today() - timedelta(days=1)
        self.assertEqual(self._figures(self.customer)["temporary_limit"], 0.0, "out of its dates")
        self.env["credit.policy.temporary.limit"]._cron_expire()
        self.assertEqual(request.state, "expired")
        self.assertFalse(self.customer.credit_temporary_limit_granted, "none approved any more")

    def test_salesperson_requests_but_cannot_approve(self):
        request = self._request(500.0)
        request.action_request_approval()
        request.validate_tier()
        self.assertEqual(request.state, "to_approve", "a salesperson is no reviewer")
        with self.assertRaises(UserError):
            request.action_approve()
        with self.assertRaises(AccessError):
            request.write({"state": "approved"})
        with self.assertRaises(UserError):
            request.write({"amount": 9000.0})

    def test_general_manager_needed_above_threshold(self):
        request = self._request(60000.0)
        request.action_request_approval()
        self.assertEqual(len(request.review_ids), 2)
        request.with_user(self.credit_manager).validate_tier()
        self.assertEqual(request.state, "to_approve", "the general manager has not approved yet")
        request.with_user(self.general_manager).validate_tier()
        self.assertEqual(request.state, "approved")

    def test_general_manager_threshold_is_the_companys(self):
        self.company.credit_temporary_general_manager_limit = 400.0
        request = self._request(500.0)
        request.action_request_approval()
        self.assertEqual(len(request.review_ids), 2, "500 is above the company's 400: the general manager too")
        self.company.credit_temporary_general_manager_limit = 1000.0
        request = self._request(500.0)
        request.action_request_approval()
        self.assertEqual(len(request.review_ids), 1, "within the company's 1,000: the credit manager alone")

    def test_rejection(self):
        request = self._request(500.0)
        request.action_request_approval()
        request.with_user(self.credit_manager).reject_tier()
        self.assertEqual(request.state, "rejected")
        self.assertEqual(self._figures(self.customer)["temporary_limit"], 0.0)
        request.action_draft()
        self.assertEqual(request.state, "draft")

    def test_temporary_limits_add_up_but_not_twice_for_one_order(self):
        order = self._order(self.customer, 1, confirm=False)
        first = self._request(300.0, order_id=order.id)
        second = self._request(200.0)
        (first | second).action_request_approval()
        for request in first | second:
            request.with_user(self.credit_manager).validate_tier()
        # The customer's figures count the general one only; the order's own
        # counts when that order is checked.
        self.assertEqual(self._figures(self.customer)["effective_limit"], 1200.0)
        result = self.env["credit.policy.check"]._evaluate(self.customer, company=self.company, order=order)
        self.assertEqual(result.figures["effective_limit"], 1500.0)
        duplicate = self._request(100.0, order_id=order.id)
        with self.assertRaises(ValidationError):
            duplicate.action_request_approval()

    def test_invalid_requests_refused(self):
        with self.assertRaises(ValidationError):
            self._request(100.0, date_from=fields.Date.today(),
                          date_to=fields.Date.today() - timedelta(days=1))
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.customer.id})
        with self.assertRaises(ValidationError):
            self._request(100.0, partner_id=contact.id)
        with self.assertRaises(AccessError):
            self._request(100.0, state="approved")
