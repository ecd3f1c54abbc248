from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class CreditGradingCommon(TransactionCase):
    """Five-level table of the main company, the approval roles and a customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.table = cls.env.ref("credit_policy.credit_policy_grade_table_five")
        cls.company.credit_grade_table_id = cls.table
        cls.grade = {
            code: cls.env.ref(f"credit_policy.credit_policy_grade_five_{code.lower()}")
            for code in ("AAA", "AA", "A", "B", "C")
        }
        cls.criteria = {
            code: cls.env.ref(f"credit_policy.credit_policy_criterion_{code.lower()}")
            for code in ("REPAY", "PURCHASE", "FINANCE", "BUSINESS", "YEARS", "CAPITAL", "STAFF", "PRODUCT")
        }
        cls.salesperson = new_test_user(cls.env, "cpg_sales", groups="sales_team.group_sale_salesman,base.group_partner_manager")
        cls.regional_manager = new_test_user(
            cls.env, "cpg_rm", groups="base.group_user,credit_policy.group_credit_policy_regional_manager"
        )
        cls.sales_manager = new_test_user(cls.env, "cpg_sm", groups="sales_team.group_sale_manager")
        cls.finance = new_test_user(cls.env, "cpg_fin", groups="account.group_account_manager")
        cls.general_manager = new_test_user(
            cls.env, "cpg_gm", groups="base.group_user,credit_policy.group_credit_policy_general_manager"
        )
        cls.credit_manager = new_test_user(
            cls.env, "cpg_cm", groups="base.group_user,base.group_partner_manager,credit_policy.group_credit_policy_manager"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "CPG Customer", "is_company": True, "user_id": cls.salesperson.id}
        )

    @classmethod
    def _lines(cls, repayment, purchase, others):
        """Scoring lines: repayment and purchase points, ``others`` spread over
        the other criteria up to their maxima."""
        lines = [
            Command.create({"criterion_id": cls.criteria["REPAY"].id, "points": repayment}),
            Command.create({"criterion_id": cls.criteria["PURCHASE"].id, "points": purchase}),
        ]
        for code in ("FINANCE", "BUSINESS", "YEARS", "CAPITAL", "STAFF", "PRODUCT"):
            points = min(others, cls.criteria[code].max_points)
            others -= points
            lines.append(Command.create({"criterion_id": cls.criteria[code].id, "points": points}))
        assert not others, "more points than the sheet holds"
        return lines

    @classmethod
    def _evaluation(cls, repayment, purchase, others, partner=None, user=None, **vals):
        model = cls.env["credit.policy.evaluation"]
        if user:
            model = model.with_user(user)
        return model.create(
            {
                "partner_id": (partner or cls.customer).id,
                "kind": "review",
                "line_ids": cls._lines(repayment, purchase, others),
                **vals,
            }
        )

    def _validate_as(self, evaluation, user, comment="Agreed"):
        """One reviewer's step: validate, answering the opinion wizard."""
        evaluation = evaluation.with_user(user)
        action = evaluation.validate_tier()
        if action:
            wizard = (
                self.env["comment.wizard"]
                .with_user(user)
                .with_context(action["context"])
                .create({"comment": comment})
            )
            wizard.add_comment()
        evaluation.invalidate_recordset()
