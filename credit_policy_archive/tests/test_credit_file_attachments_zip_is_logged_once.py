import io
import zipfile

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileAttachmentsZipIsLoggedOnce(CreditFileCommon, HttpCase):
    """Mail's "download all" (``/mail/attachment/zip``) of a file's
    attachments is one read of the file: logged once per file, like a
    form or an export, not once per attachment; refused to whoever may not
    read the file."""

    def _scans(self, file, count):
        return self.env["ir.attachment"].with_user(self.owner).create(
            [
                {"name": f"scan{file.id}-{index}.txt", "raw": f"SCAN {index}".encode(), "res_model": file._name,
                 "res_id": file.id}
                for index in range(count)
            ]
        )

    def _zip(self, user, attachments):
        self.authenticate(user.login, user.login)
        return self.url_open(
            "/mail/attachment/zip",
            data={
                "file_ids": ",".join(str(id_) for id_ in attachments.ids),
                "zip_name": "scans.zip",
                "csrf_token": http.Request.csrf_token(self),
            },
        )

    def test_downloading_a_files_attachments_as_a_zip_logs_one_read_per_file(self):
        department, company = self.files["department"], self.files["company"]
        self.colleague.sudo().groups_id = [(4, self.env.ref("credit_policy.group_credit_policy_officer").id)]
        scans = self._scans(department, 3) + self._scans(company, 2)
        response = self._zip(self.colleague, scans)
        self.assertEqual(response.status_code, 200)
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            self.assertEqual(len(archive.namelist()), 5)
        for file in (department, company):
            with self.subTest(level=file.confidentiality):
                self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["download"])
        # another download is another read
        self._zip(self.colleague, scans[:2])
        self.assertEqual(len(self._logs(department, self.colleague)), 2)

    def test_who_may_not_read_the_file_gets_none_of_its_attachments_in_a_zip(self):
        scans = self._scans(self.files["department"], 2)
        response = self._zip(self.other_salesman, scans)
        self.assertNotIn(b"SCAN", response.content)
        self.assertFalse(self._logs(self.files["department"], self.other_salesman))
