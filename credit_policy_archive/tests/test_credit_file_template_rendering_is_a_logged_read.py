from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileTemplateRenderingIsALoggedRead(RpcMixin, CreditFileCommon, HttpCase):
    """A mail template rendered on a credit file (its preview, the composer
    of the file's chatter) puts the file's fields in the text it returns: a
    read of the file, logged like reading the fields themselves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.file = cls.files["department"]
        cls.template = cls.env["mail.template"].create(
            {
                "name": "Credit file summary",
                "model_id": cls.env["ir.model"]._get_id(cls.file._name),
                "subject": "File of {{ object.partner_id.name }}",
                "body_html": '<p>Legal representative: <t t-out="object.legal_representative"/></p>',
            }
        )
        # a template editor (Odoo's default for internal users, made explicit)
        cls.colleague.groups_id += cls.env.ref("mail.group_mail_template_editor")
        cls.other_salesman.groups_id += cls.env.ref("mail.group_mail_template_editor")

    def _channels(self, user):
        return self._logs(self.file, user).mapped("channel")

    def _preview(self, user, template=None, record=None):
        """``template`` (the file's) previewed on ``record`` (the file) by
        ``user``: its rendered body."""
        template, record = template or self.template, record or self.file
        preview_id = self._call(
            user, "mail.template.preview", "create",
            [{"mail_template_id": template.id, "resource_ref": f"{record._name},{record.id}"}],
        )
        [preview] = self._call(user, "mail.template.preview", "read", [[preview_id], ["body_html"]])
        return preview["body_html"]

    def _composer(self, user, **values):
        """A composer of the file's chatter opened by ``user``."""
        return self._call(
            user, "mail.compose.message", "create",
            [{"composition_mode": "comment", "model": self.file._name, "res_ids": str(self.file.ids), **values}],
        )

    def test_previewing_a_template_on_the_file_is_logged(self):
        self.assertIn("Rep department", self._preview(self.colleague))
        self.assertEqual(self._channels(self.colleague), ["template"])

    def test_the_preview_dialog_of_the_web_client_is_logged(self):
        result = self._call(
            self.colleague, "mail.template.preview", "onchange", [[], {}, [], {"body_html": {}, "resource_ref": {}}],
            {"context": {
                "default_mail_template_id": self.template.id,
                "default_resource_ref": f"{self.file._name},{self.file.id}",
            }},
        )
        self.assertIn("Rep department", result["value"]["body_html"])
        self.assertEqual(self._channels(self.colleague), ["template"])

    def test_a_template_in_the_files_composer_is_logged(self):
        composer_id = self._composer(self.colleague, template_id=self.template.id)
        self.assertEqual(self._channels(self.colleague), ["template"], "one call, one read")
        [composer] = self._call(self.colleague, "mail.compose.message", "read", [[composer_id], ["body"]])
        self.assertIn("Rep department", composer["body"])
        self.assertEqual(set(self._channels(self.colleague)), {"template"})

    def test_a_salesman_outside_the_department_renders_nothing_of_it(self):
        try:
            body = self._preview(self.other_salesman)
        except JsonRpcException:
            body = ""
        self.assertNotIn("Rep department", str(body))
        self.assertFalse(self._channels(self.other_salesman), "nothing read, nothing logged")

    def test_a_salesman_outside_the_department_composes_nothing_of_it(self):
        try:
            composer_id = self._composer(self.other_salesman, template_id=self.template.id)
            rows = self._call(self.other_salesman, "mail.compose.message", "read", [[composer_id], ["subject", "body"]])
        except JsonRpcException:
            rows = []
        self.assertNotIn("Rep department", str(rows))
        self.assertNotIn("CPA department customer", str(rows))
        self.assertFalse(self._channels(self.other_salesman), "nothing read, nothing logged")

    def test_a_template_of_the_customer_reaching_his_file_is_logged(self):
        """The file read through a relation of the record rendered (the
        customer's files) is read all the same."""
        template = self.env["mail.template"].create(
            {
                "name": "Customer summary",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "body_html": '<p><t t-out="object.credit_file_ids.legal_representative"/></p>',
            }
        )
        for user, readable in ((self.colleague, True), (self.other_salesman, False)):
            with self.subTest(user=user.login):
                body = self._preview(user, template, self.file.partner_id)
                self.assertEqual("Rep department" in str(body), readable)
                self.assertEqual(self._channels(user), ["template"] if readable else [])

    def test_writing_a_note_without_a_template_is_no_read(self):
        composer_id = self._composer(
            self.owner, body="<p>Called the buyer</p>", subtype_id=self.env.ref("mail.mt_note").id
        )
        self._call(self.owner, "mail.compose.message", "action_send_mail", [[composer_id]])
        self.assertIn("Called the buyer", str(self.file.message_ids.mapped("body")))
        self.assertFalse(self._channels(self.owner))
