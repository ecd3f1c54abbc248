from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import CreditGradingCommon, RpcMixin, create_branch


@tagged("post_install", "-at_install")
class TestCreditBranchCreditKeptInTheRoot(RpcMixin, CreditGradingCommon, HttpCase):
    """A branch has no credit of its own: the check reads its root company's
    limit, grade, hold and watch. Whatever changes or evaluates a customer's
    credit from a branch must therefore change the root's (else an approved
    limit or a hold set there would never apply), and a user working in the
    branch alone is told to select the root rather than write where nothing
    reads it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = create_branch(cls.env, cls.company, "Credit Area Branch")
        (cls.credit_manager | cls.salesperson).company_ids |= cls.branch
        cls.check = cls.env["credit.policy.check"]

    def _change_credit(self, companies):
        partner = self.customer.with_company(self.company)
        vals = {
            "partner_id": self.customer.id,
            "grade_id": partner.credit_grade_id.id,
            "credit_limit": partner.credit_limit,
            "term_days": partner.credit_term_days,
            "on_hold": True,
            "group_head_id": False,
            "collateral_value": 0.0,
            "collateral_note": False,
            "reason": "Blacklisted by the branch's credit officer",
        }
        context = {"allowed_company_ids": [company.id for company in companies]}
        wizard_id = self._call(
            self.credit_manager, "credit.policy.limit.change.wizard", "create", [vals], {"context": context}
        )
        self._call(
            self.credit_manager, "credit.policy.limit.change.wizard", "action_apply", [[wizard_id]],
            {"context": context},
        )

    def test_change_credit_in_a_branch_changes_the_roots_credit(self):
        self._change_credit([self.branch, self.company])
        self.assertTrue(self.customer.with_company(self.company).credit_on_hold, "the root's data, which the check reads")
        self.assertIn("credit_hold", self.check._evaluate(self.customer, company=self.branch).failure_codes)

    def test_change_credit_in_the_branch_alone_is_refused(self):
        with mute_logger("odoo.http"), self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._change_credit([self.branch])
        self.assertFalse(self.customer.with_company(self.company).credit_on_hold)
        self.assertFalse(self.customer.with_company(self.branch).credit_on_hold, "nothing written where nothing reads it")

    def test_an_evaluation_made_in_a_branch_is_the_roots(self):
        context = {"allowed_company_ids": [self.branch.id, self.company.id]}
        evaluation_id = self._call(
            self.salesperson, "credit.policy.evaluation", "create",
            [{"partner_id": self.customer.id, "company_id": self.branch.id}], {"context": context},
        )
        evaluation = self.env["credit.policy.evaluation"].browse(evaluation_id)
        self.assertEqual(evaluation.company_id, self.company, "approved, it sets the limit the check reads")
        self.assertEqual(evaluation.current_limit, self.customer.with_company(self.company).credit_limit)

    def test_a_red_flag_in_a_branch_opens_the_roots_review(self):
        self.env["credit.policy.red.flag"].with_company(self.branch).create(
            {
                "partner_id": self.customer.id,
                "company_id": self.branch.id,
                "type_id": self.env.ref("credit_policy.credit_policy_red_flag_type_bounced_cheque").id,
                "evidence": "Cheque returned by the branch's bank",
            }
        )
        review = self.env["credit.policy.evaluation"].search(
            [("partner_id", "=", self.customer.id), ("kind", "=", "event")]
        )
        self.assertEqual(review.company_id, self.company)

    def test_the_watch_dialog_shows_the_roots_prepayment_share(self):
        self.company.credit_watch_prepayment_percent = 30.0
        other = self.env["res.company"].create({"name": "Watch Elsewhere", "credit_watch_prepayment_percent": 90.0})
        controller = self.credit_manager
        context = {"allowed_company_ids": [self.branch.id, self.company.id]}
        wizard_id = self._call(
            controller, "credit.policy.watch.wizard", "create",
            [{"partner_id": self.customer.id, "company_id": other.id, "reason": "Payments slowing"}],
            {"context": context},
        )
        [values] = self._call(
            controller, "credit.policy.watch.wizard", "read", [[wizard_id], ["company_id", "prepayment_percent"]],
            {"context": context},
        )
        self.assertEqual((values["company_id"][0], values["prepayment_percent"]), (self.company.id, 30.0))

    def test_the_customer_form_in_a_branch_names_where_the_credit_is_kept(self):
        context = {"allowed_company_ids": [self.branch.id]}  # the branch alone: the root unreadable to him
        [values] = self._call(
            self.salesperson, "res.partner", "web_read",
            [[self.customer.id], {"credit_area_company_id": {"fields": {"display_name": {}}}}],
            {"context": context},
        )
        self.assertEqual(values["credit_area_company_id"]["id"], self.company.id)
        self.assertFalse(self.customer.with_company(self.company).credit_area_company_id, "the root keeps its own")
