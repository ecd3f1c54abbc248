from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileReadLogThroughRelatedRecords(RpcMixin, CreditFileCommon, HttpCase):
    """A credit file's content reached from another record (the customer, an
    evaluation, an access request) is a read of the file like any other: it
    is logged, or refused.

    ``export_data`` of the other model follows the relation with the ORM's
    own ``fetch`` (no ``_read_format`` of the file, and not the file's own
    ``export_data``), and a search on the content answers questions about it
    without reading it.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.file = cls.files["department"]
        cls.customer_of_file = cls.file.partner_id
        cls.colleague.groups_id += cls.env.ref("base.group_allow_export")

    def _exported(self, user, model, ids, paths):
        """The rows ``user`` exports, or None when the export is refused."""
        try:
            return self._call(user, model, "export_data", [ids, paths])["datas"]
        except JsonRpcException:
            return None

    def test_exporting_the_customer_with_its_credit_file_is_a_logged_read(self):
        rows = self._exported(
            self.colleague,
            "res.partner",
            self.customer_of_file.ids,
            ["name", "credit_file_ids/legal_representative", "credit_file_ids/registered_capital"],
        )
        content = [value for row in rows or [] for value in row]
        if "Rep department" in content:
            self.assertTrue(
                self._logs(self.file, self.colleague),
                f"the file's content was exported through the customer ({content}) without a read log",
            )

    def test_exporting_the_customer_with_the_files_financial_statements_is_a_logged_read(self):
        rows = self._exported(
            self.colleague,
            "res.partner",
            self.customer_of_file.ids,
            ["name", "credit_file_ids/financial_ids/total_liabilities",
             "credit_file_ids/visit_ids/summary"],
        )
        content = [value for row in rows or [] for value in row]
        if "Met the buyer" in content:
            self.assertTrue(
                self._logs(self.file, self.colleague),
                f"the file's visits and statements were exported through the customer ({content}) "
                "without a read log",
            )

    def test_searching_the_files_content_is_a_logged_read(self):
        """Bisecting a search on the registered capital reads it, exactly,
        without opening the file."""
        File = "credit.policy.archive.file"
        low, high = 0, 10**9
        while high - low > 1:
            middle = (low + high) // 2
            found = self._call(
                self.colleague, File, "search_count", [[("id", "=", self.file.id), ("registered_capital", ">=", middle)]]
            )
            low, high = (middle, high) if found else (low, middle)
        if low == 5000000:
            self.assertTrue(
                self._logs(self.file, self.colleague),
                "the registered capital was read exactly by searching, without a read log",
            )
