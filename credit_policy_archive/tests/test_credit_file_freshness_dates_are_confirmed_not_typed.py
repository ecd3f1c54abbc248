from datetime import date

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileFreshnessDatesAreConfirmedNotTyped(RpcMixin, CreditFileCommon, HttpCase):
    """A file's last full update and last annual review say whether it is
    fresh (POLICY.md §6): they are set by the owner's confirmations (Mark
    Updated, Mark Reviewed, on the day), never typed in. Else an owner hides a
    stale file by dating its review next year."""

    def test_the_owner_does_not_type_the_dates(self):
        file = self.files["personal"]
        file.sudo().write({"last_review_date": date(2024, 12, 20), "last_update_date": date(2024, 12, 1)})
        self._call(
            self.owner, file._name, "write",
            [file.ids, {"last_review_date": "2099-12-20", "last_update_date": "2099-12-01"}],
        )
        file.invalidate_recordset()
        self.assertEqual((file.last_review_date, file.last_update_date), (date(2024, 12, 20), date(2024, 12, 1)))

    def test_a_new_file_starts_neither_updated_nor_reviewed(self):
        partner = self.env["res.partner"].create({"name": "CPA fresh customer", "is_company": True})
        self._set_personal_default(self.owner, "credit.policy.archive.file", "last_review_date", "2099-12-20")
        file_id = self._call(
            self.owner, "credit.policy.archive.file", "create",
            [{"partner_id": partner.id, "owner_id": self.owner.id, "last_update_date": "2099-12-01"}],
            {"context": {"default_last_review_date": "2099-12-20"}},
        )
        file = self.env["credit.policy.archive.file"].browse(file_id)
        self.assertEqual((file.last_review_date, file.last_update_date), (False, False))

    def test_the_owners_confirmations_date_them_today(self):
        file = self.files["personal"]
        file.sudo().review_note = "Paid on time all year"
        self._call(self.owner, file._name, "action_mark_updated", [file.ids])
        self._call(self.owner, file._name, "action_mark_reviewed", [file.ids])
        file.invalidate_recordset()
        today = fields.Date.context_today(file.with_user(self.owner))  # the owner's day, not the test's
        self.assertEqual((file.last_review_date, file.last_update_date), (today, today))
