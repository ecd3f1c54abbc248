from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .test_credit_grade_one_purchase_cycle import OnePurchaseCommon


@tagged("post_install", "-at_install")
class TestCreditChangeCreditPurchaseNoteOfAnotherCompany(OnePurchaseCommon):
    """Change Credit's "One Purchase, One Cycle" note reads the customer's
    orders as superuser: a Credit Manager of one company must not read,
    through it, the orders of a company he does not belong to, by creating the
    wizard (RPC) with that company."""

    def test_credit_manager_cannot_read_another_companys_orders(self):
        other = self.env["res.company"].create({"name": "Purchase Note Elsewhere", "credit_check_mode": "off"})
        self.assertNotIn(other, self.credit_manager.company_ids)
        for days_ago in (80, 50, 20):
            self._confirmed_order(self.customer, 77777.0, days_ago, company=other)
        vals = {
            "partner_id": self.customer.id,
            "company_id": other.id,
            "grade_id": self.aa.id,
            "credit_limit": 1.0,
            "term_days": 1,
            "on_hold": False,
            "group_head_id": False,
            "collateral_value": 0.0,
            "collateral_note": False,
            "reason": "Just looking",
        }
        context = {"allowed_company_ids": [self.company.id]}
        try:
            with mute_logger("odoo.http"):
                wizard_id = self._call(
                    self.credit_manager, "credit.policy.limit.change.wizard", "create", [vals], {"context": context}
                )
                [values] = self._call(
                    self.credit_manager, "credit.policy.limit.change.wizard", "read",
                    [[wizard_id], ["purchase_bounds_note"]], {"context": context},
                )
        except JsonRpcException:
            return  # refused: what the test asks for
        note = (values["purchase_bounds_note"] or "").replace("\u00a0", " ")
        self.assertNotIn(
            "77,777", note,
            "the other company's average order (77,777 over 3 orders) is shown to a Credit Manager not in it",
        )
