from odoo.tests import HttpCase, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileExportThroughTheCustomerIsLoggedOnce(RpcMixin, CreditFileCommon, HttpCase):
    """An export reaching a credit file and its lines through the customer
    is one read of the file: one row in the read log, as the file's own
    export is."""

    def test_exporting_the_customer_with_its_file_and_lines_logs_one_read(self):
        file = self.files["department"]
        self.colleague.groups_id += self.env.ref("base.group_allow_export")
        paths = [
            "name", "credit_file_ids/legal_representative", "credit_file_ids/financial_ids/total_liabilities",
            "credit_file_ids/visit_ids/summary",
        ]
        rows = self._call(self.colleague, "res.partner", "export_data", [file.partner_id.ids, paths])["datas"]
        self.assertIn("Met the buyer", rows[0])
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["export"])
        self._call(
            self.colleague, file._name, "export_data", [file.ids, ["legal_representative", "visit_ids/summary"]]
        )
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["export", "export"])
