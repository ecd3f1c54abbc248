"""Credit > Credit Files > New opens an empty form (the web client's
onchange on a new record), as odoo.tests.Form does.

Review finding (rev_c): this test fails on the current code with a
NotNullViolation on credit_policy_archive_read_log.file_id: the read log
(credit_policy_archive_confidential_mixin.py, _read_format) logs the "read"
of the new, unsaved file (a NewId) when web_read runs for the onchange; the
user sees a database error instead of the form."""
from odoo.tests import Form, tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileNewForm(CreditFileCommon):
    def test_salesperson_opens_a_new_credit_file_form(self):
        partner = self.env["res.partner"].create(
            {"name": "CPA new file customer", "is_company": True, "user_id": self.owner.id}
        )
        form = Form(self.env["credit.policy.archive.file"].with_user(self.owner))
        form.partner_id = partner
        file = form.save()
        self.assertEqual(file.owner_id, self.owner)
