from odoo.tests import tagged

from odoo.addons.credit_policy.tests.common import CreditExposureCommon, create_branch


@tagged("post_install", "-at_install")
class TestCompositionGradeOfBranchDocuments(CreditExposureCommon):
    """客户构成分析 (POLICY.md §6, seed 003): the share of sales and of
    exposure by grade. A branch has no credit control area of its own
    (§4): its customers are graded in the root company, and what a branch
    sells them or invoices them is exposure of a customer of that grade, not
    of an ungraded customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = create_branch(cls.env, cls.company, "Composition Branch")
        table = cls.env["credit.policy.grade.table"].sudo().create({"name": "CMP", "company_id": cls.company.id})
        cls.grade = cls.env["credit.policy.grade"].sudo().create(
            {"table_id": table.id, "code": "A", "name": "A", "max_limit": 10000.0, "max_term_days": 30}
        )
        cls.customer.with_company(cls.company).sudo().credit_grade_id = cls.grade

    def _post_invoice(self, amount, company):
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer, amounts=[amount], taxes=self.env["account.tax"], company=company
        )
        invoice.action_post()
        return invoice

    def test_branch_invoice_counts_under_the_customers_grade(self):
        self._post_invoice(300.0, self.company)
        self._post_invoice(700.0, self.branch)
        self.env.flush_all()
        Composition = self.env["credit.policy.archive.composition"].sudo().with_context(
            allowed_company_ids=(self.company | self.branch).ids
        )
        groups = Composition._read_group(
            [("partner_id", "=", self.customer.id), ("kind", "=", "exposure")], ["grade_id"], ["exposure_amount:sum"]
        )
        by_grade = {grade.code or "none": amount for grade, amount in groups}
        self.assertEqual(
            by_grade, {"A": 1000.0},
            "the branch's 700.00 receivable belongs to a customer graded A in the credit control area",
        )
