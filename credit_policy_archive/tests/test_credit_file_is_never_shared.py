from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileIsNeverShared(RpcMixin, CreditFileCommon, HttpCase):
    """Odoo's *Share* (the ``portal.share`` wizard) sends a link to a record
    and makes its recipients followers: a confidential credit file is read
    by its readers only, never shared by link or with the portal. Whoever
    opens the wizard on a file (a reader or not) is told so, with no link
    made and nothing sent."""

    def setUp(self):
        super().setUp()
        self.file = self.files["department"]
        self.outsider = self.env["res.partner"].create({"name": "Outside Auditor", "email": "audit@example.com"})
        # every internal user may create contacts (Odoo's default user template), so opens the wizard
        for user in (self.colleague, self.other_salesman):
            user.sudo().groups_id |= self.env.ref("base.group_partner_manager")

    def _context(self):
        return {"context": {"active_model": self.file._name, "active_id": self.file.id}}

    def _assert_nothing_shared(self):
        self.assertFalse(self.file.message_partner_ids & (self.outsider | self.portal.partner_id))
        self.assertFalse(
            self.env["mail.message"].sudo().search(
                [("model", "=", self.file._name), ("res_id", "=", self.file.id),
                 ("partner_ids", "in", (self.outsider | self.portal.partner_id).ids)]
            )
        )
        self.assertFalse(self.env["portal.share"].sudo().search([("res_model", "=", self.file._name)]))

    def test_the_share_wizard_refuses_a_credit_file(self):
        for user in (self.colleague, self.other_salesman):
            with self.subTest(user=user.login):
                # the web client opens the wizard (its defaults) from the file
                with self.assertRaisesRegex(JsonRpcException, "UserError"):
                    self._call(
                        user, "portal.share", "onchange",
                        [[], {}, [], {"share_link": {}, "partner_ids": {}, "res_model": {}, "res_id": {}}],
                        self._context(),
                    )
                with self.assertRaisesRegex(JsonRpcException, "UserError"):
                    self._call(user, "portal.share", "default_get", [["share_link", "res_id"]], self._context())
                # nor given the file by hand, then sent
                with self.assertRaisesRegex(JsonRpcException, "UserError"):
                    self._call(
                        user, "portal.share", "create",
                        [{"res_model": self.file._name, "res_id": self.file.id,
                          "partner_ids": [(6, 0, (self.outsider | self.portal.partner_id).ids)]}],
                    )
        self._assert_nothing_shared()

    def _quotation(self):
        return self.env["sale.order"].create({"partner_id": self.file.partner_id.id, "user_id": self.colleague.id})

    def test_a_share_wizard_is_not_turned_to_a_credit_file(self):
        order = self._quotation()
        wizard_id = self._call(
            self.colleague, "portal.share", "create",
            [{"res_model": order._name, "res_id": order.id, "partner_ids": [(6, 0, self.outsider.ids)]}],
        )
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._call(
                self.colleague, "portal.share", "write",
                [[wizard_id], {"res_model": self.file._name, "res_id": self.file.id}],
            )
        self._assert_nothing_shared()

    def test_other_records_are_still_shared(self):
        order = self._quotation()
        defaults = self._call(
            self.colleague, "portal.share", "default_get", [["share_link", "res_id", "res_model"]],
            {"context": {"active_model": order._name, "active_id": order.id}},
        )
        self.assertEqual((defaults["res_model"], defaults["res_id"]), (order._name, order.id))
        self.assertIn("/mail/view", defaults["share_link"])

    def test_a_link_to_a_files_scan_opens_for_its_readers_only(self):
        """Nor is a document shared by a tokenized link (an attachment's
        access token, which mail's links carry): whoever may not read the
        file, or nobody logged in, gets nothing of it."""
        scan = self.env["ir.attachment"].with_user(self.owner).create(
            {"name": "licence.txt", "raw": b"LICENCE 123", "res_model": self.file._name, "res_id": self.file.id}
        )
        token = self._call(self.owner, "ir.attachment", "generate_access_token", [scan.ids])[0]
        url = f"/web/content/{scan.id}?access_token={token}&download=true"
        self.authenticate(None, None)
        self.assertNotEqual(self.url_open(url).content, b"LICENCE 123")
        self.authenticate(self.other_salesman.login, self.other_salesman.login)
        self.assertNotEqual(self.url_open(url).content, b"LICENCE 123")
        self.assertFalse(self._logs(self.file, self.other_salesman))
        self.authenticate(self.colleague.login, self.colleague.login)
        self.assertEqual(self.url_open(url).content, b"LICENCE 123")
        self.assertEqual(self._logs(self.file, self.colleague).mapped("channel"), ["download"])
