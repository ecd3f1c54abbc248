import base64
import io
import json
import zipfile

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileBackup(CreditFileCommon):
    """A Credit Manager backs the files up as one zip (data, documents, read
    log); nobody else does, and nobody else reads the backups."""

    def test_credit_manager_exports_files_documents_and_log(self):
        file = self.files["personal"]
        file.document_ids.sudo().write({"attachment": base64.b64encode(b"LICENCE"), "attachment_name": "lic.txt"})
        file.with_user(self.owner).read(["legal_representative"])
        wizard = self.env["credit.policy.archive.backup.wizard"].with_user(self.credit_manager).create(
            {"file_ids": [Command.set(file.ids)]}
        )
        wizard.action_export()
        backup = wizard.backup_id
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(backup.sudo().attachment_id.datas))) as archive:
            names = archive.namelist()
            data = json.loads(archive.read("files.json"))
            log = archive.read("read_log.csv").decode()
            self.assertIn(b"LICENCE", [archive.read(n) for n in names if n.startswith("documents/")])
        self.assertEqual(data[0]["legal_representative"], "Rep personal")
        self.assertIn(self.owner.name, log)
        self.assertIn("backup", self._logs(file, self.credit_manager).mapped("channel"))

    def test_others_neither_back_up_nor_read_backups(self):
        with self.assertRaises(AccessError):
            self.env["credit.policy.archive.backup.wizard"].with_user(self.owner).create({})
        # The monthly backup runs as OdooBot, a Credit Manager.
        Backup = self.env["credit.policy.archive.backup"].with_user(self.env.ref("base.user_root"))
        Backup._cron_monthly_backup()
        backup = Backup.sudo().search([], limit=1)
        self.assertTrue(backup)
        with self.assertRaises(AccessError):
            backup.with_user(self.officer).read(["name"])
        with self.assertRaises(AccessError):
            backup.attachment_id.with_user(self.officer).read(["datas"])
