from odoo.tests import tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileAnnualReviewReport(CreditFileCommon):
    """年审评价报告: the annual transaction review prints the file's data."""

    def test_report_renders_the_file_data_in_the_owners_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.owner.lang = "zh_CN"
        file = self.files["personal"]
        file.with_user(self.owner).write(
            {"review_note": "全年回款及时,信用良好", "transaction_status": "Trading monthly"}
        )
        html, _format = self.env["ir.actions.report"].with_user(self.owner)._render_qweb_html(
            "credit_policy_archive.action_report_annual_review", file.ids
        )
        html = html.decode()
        for text in ("CPA personal customer", "Rep personal", "全年回款及时,信用良好", "Trading monthly", "Licence"):
            self.assertIn(text, html)
        self.assertIn('lang="zh-CN"', html.replace("zh_CN", "zh-CN"))

    def test_report_refused_to_who_cannot_read_the_file(self):
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.other_salesman)._render_qweb_html(
                "credit_policy_archive.action_report_annual_review", self.files["personal"].ids
            )
