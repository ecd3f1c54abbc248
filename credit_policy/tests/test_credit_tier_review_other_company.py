from odoo.tests import HttpCase, new_test_user, tagged

from .common import CreditGradingCommon, RpcMixin

OPINION = "Confidential: the owner is selling his assets"


@tagged("post_install", "-at_install")
class TestCreditTierReviewOtherCompany(RpcMixin, CreditGradingCommon, HttpCase):
    """The approvers' opinions on a company's credit evaluations are that
    company's confidential credit work: the credit staff and the approvers of
    another company do not read them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "CPG Other Company"})
        kw = {"company_id": cls.other_company.id, "company_ids": [cls.other_company.id]}
        cls.other_officer = new_test_user(
            cls.env, "cpg_officer_b", groups="base.group_user,credit_policy.group_credit_policy_officer", **kw
        )
        cls.other_finance = new_test_user(cls.env, "cpg_fin_b", groups="account.group_account_manager", **kw)

    def test_other_companys_credit_staff_and_approvers_do_not_read_the_opinions(self):
        evaluation = self._submitted_three_step_evaluation()
        self._validate_as(evaluation, self.regional_manager, comment=OPINION)
        self.assertIn(OPINION, evaluation.sudo().review_ids.mapped("comment"))
        leaked = {}
        for user in (self.other_officer, self.other_finance):
            rows = self._call(
                user, "tier.review", "search_read", [[("model", "=", evaluation._name)], ["comment", "res_id"]]
            )
            if any(row["res_id"] == evaluation.id for row in rows):
                leaked[user.login] = [row["comment"] for row in rows if row["res_id"] == evaluation.id]
        self.assertFalse(
            leaked,
            f"users working for {self.other_company.name} only read the reviews of "
            f"{evaluation.company_id.name}'s evaluation: {leaked}",
        )
