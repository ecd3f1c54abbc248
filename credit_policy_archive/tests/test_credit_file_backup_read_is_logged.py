from odoo.tests import HttpCase, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileBackupReadIsLogged(RpcMixin, CreditFileCommon, HttpCase):
    """A backup holds the content of its files: whoever downloads it, or
    reads its zip, reads those files, and the read is logged for each of
    them, once. Listing the backups reads nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The monthly backup runs as OdooBot (nobody reads anything then).
        cls.env["credit.policy.archive.backup"].with_user(cls.env.ref("base.user_root"))._cron_monthly_backup()
        cls.backup = cls.env["credit.policy.archive.backup"].sudo().search([], limit=1)
        cls.file = cls.files["personal"]

    def test_reading_the_zip_is_a_logged_read_of_its_files(self):
        self.assertIn(self.file, self.backup.file_ids)
        self._call(self.credit_manager, self.backup._name, "read", [self.backup.ids, ["data"]])
        for file in self.files.values():
            self.assertEqual(self._logs(file, self.credit_manager).mapped("channel"), ["backup"])

    def test_downloading_the_zip_is_a_logged_read_of_its_files(self):
        self.authenticate(self.credit_manager.login, self.credit_manager.login)
        for url in (
            f"/web/content/{self.backup.attachment_id.id}",
            f"/web/content/credit.policy.archive.backup/{self.backup.id}/data",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.content[:2], b"PK")
        self.assertEqual(self._logs(self.file, self.credit_manager).mapped("channel"), ["download", "download"])

    def test_listing_the_backups_reads_nothing(self):
        self._call(
            self.credit_manager, self.backup._name, "web_search_read",
            [[], {"name": {}, "file_count": {}, "data": {}}], {"context": {"bin_size": True}},
        )
        self.assertFalse(self._logs(self.file, self.credit_manager))
