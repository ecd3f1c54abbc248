from contextlib import suppress

from odoo.tests import HttpCase, JsonRpcException, tagged

from .common import CreditGradingCommon, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditAccountMovedUnderAnother(RpcMixin, CreditGradingCommon, HttpCase):
    """A customer's credit account is its commercial entity: making a
    customer on credit hold a contact of another customer would check its
    orders and deliveries against that other customer's credit (its limit,
    its hold), as a credit group does. Joining a credit group is a Credit
    Manager's decision (credit_group_head_id): re-parenting a credit account
    must not be a salesperson's way around it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.customer.with_company(cls.company).credit_limit = 100000.0
        cls.held = cls.env["res.partner"].create(
            {"name": "Held Customer Ltd", "is_company": True, "user_id": cls.salesperson.id}
        )
        cls.held.with_company(cls.company).write({"credit_on_hold": True, "credit_limit": 1000.0})

    def _blocked(self, partner=None):
        self.env.invalidate_all()
        result = self.env["credit.policy.check"]._evaluate(partner or self.held, company=self.company, amount=500.0)
        return result.blocked

    def test_salesperson_cannot_lift_a_hold_by_making_the_customer_a_contact(self):
        self.assertTrue(self._blocked(), "the customer on credit hold is blocked")
        self.assertFalse(self._blocked(self.customer), "the other customer has credit to spare")
        with suppress(JsonRpcException):  # a refusal ends the attack
            self._call(self.salesperson, "res.partner", "write", [self.held.ids, {"parent_id": self.customer.id, "is_company": False}])
        self.assertTrue(
            self._blocked(),
            "the salesperson moved the held customer under another customer's credit account "
            f"(now checked as {self.held.commercial_partner_id.display_name}): its hold no longer blocks",
        )
