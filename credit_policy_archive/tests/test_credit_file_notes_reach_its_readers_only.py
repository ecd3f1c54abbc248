from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon

NOTE = "Visit: the bank cut the customer's overdraft by 2 million"
MESSAGE = "Reminder: the customer's guarantor withdrew"


@tagged("post_install", "-at_install")
class TestCreditFileNotesReachItsReadersOnly(RpcMixin, CreditFileCommon, HttpCase):
    """Following a credit file brings its new notes and messages to the
    follower (inbox and e-mail, and the right to read the message): only
    while he may read the file. A reader whose grant is returned, or who lost
    the file otherwise, hears nothing more of it."""

    def _follow_with_a_grant_then_return_it(self, user, level):
        request = self._access_request(user, level)
        request.with_user(user).action_submit()
        request.with_user(self.credit_manager).action_approve()
        subtypes = [self.env.ref("mail.mt_note").id, self.env.ref("mail.mt_comment").id]
        self._call(user, self.files[level]._name, "message_subscribe",
                   [self.files[level].ids, user.partner_id.ids, subtypes])
        request.with_user(user).action_return()
        self.assertFalse(self._can_read(user, self.files[level]))

    def _post(self, file):
        file = file.with_user(self.owner).with_context(tracking_disable=False)
        file.message_post(body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note")
        file.message_post(body=MESSAGE, message_type="comment", subtype_xmlid="mail.mt_comment")

    def _heard(self, user):
        """The file's new notes and messages ``user`` reads as their recipient, or got by e-mail."""
        rows = self._call(user, "mail.message", "search_read", [[("body", "ilike", "the customer")], ["body"]])
        mails = self.env["mail.mail"].sudo().search(
            [("recipient_ids", "in", user.partner_id.ids), ("body_html", "ilike", "the customer")]
        )
        return [row["body"] for row in rows] + [f"e-mail {mail.id}" for mail in mails]

    def test_a_returned_grant_leaves_no_following_behind(self):
        self._follow_with_a_grant_then_return_it(self.other_salesman, "department")
        self._post(self.files["department"])
        self.assertFalse(
            self._heard(self.other_salesman), "the file's new notes reached a follower who may no longer read it"
        )

    def test_a_follower_who_reads_the_file_hears_of_it(self):
        file = self.files["department"]
        subtypes = [self.env.ref("mail.mt_note").id, self.env.ref("mail.mt_comment").id]
        self._call(self.colleague, file._name, "message_subscribe", [file.ids, self.colleague.partner_id.ids, subtypes])
        self._post(file)
        self.assertEqual(len(self._heard(self.colleague)), 4, "the note and the message, in the inbox and by e-mail")

    def _outsider(self):
        return self.env["res.partner"].create({"name": "Outside Auditor", "email": "audit@example.com"})

    def _got(self, partner, body):
        """The notifications and e-mails of ``body`` that reached ``partner``."""
        notifications = self.env["mail.notification"].sudo().search(
            [("res_partner_id", "=", partner.id), ("mail_message_id.body", "ilike", body)]
        )
        mails = self.env["mail.mail"].sudo().search(
            [("recipient_ids", "in", partner.ids), ("body_html", "ilike", body)]
        )
        return notifications, mails

    def test_whom_the_author_addresses_hears_of_it_only_as_a_reader(self):
        """The author addresses people himself (the composer's recipients,
        which it also makes followers): those who may not read the file get
        nothing of it, the others get it; the file says who was left out."""
        file = self.files["department"]
        outsider = self._outsider()
        self.other_salesman.sudo().notification_type = "inbox"
        addressed = self.colleague.partner_id | self.other_salesman.partner_id | outsider
        self._call(
            self.owner, file._name, "message_post", [file.ids],
            {"body": MESSAGE, "message_type": "comment", "subtype_xmlid": "mail.mt_comment",
             "partner_ids": addressed.ids, "context": {"mail_post_autofollow": True}},
        )
        for partner in (self.other_salesman.partner_id, outsider):
            with self.subTest(partner=partner.name):
                self.assertEqual(self._got(partner, "guarantor"), (self.env["mail.notification"], self.env["mail.mail"]))
        self.assertFalse(self._heard(self.other_salesman))
        notifications, mails = self._got(self.colleague.partner_id, "guarantor")
        self.assertTrue(notifications and mails, "a reader addressed is notified, by e-mail too")
        left_out = file.message_ids.filtered(lambda m: "Outside Auditor" in m.body and MESSAGE not in m.body)
        self.assertEqual(len(left_out), 1, "the file's chatter says who was left out")
        self.assertIn(self.other_salesman.partner_id.name, left_out.body)
        self.assertNotIn(self.colleague.partner_id.name, left_out.body)

    def test_followers_added_hear_of_it_only_as_readers(self):
        """Followers added by hand (an outside contact, a non-reader
        colleague) get none of the notes; invited with a message, none of it
        either."""
        file = self.files["department"]
        outsider = self._outsider()
        subtypes = [self.env.ref("mail.mt_note").id, self.env.ref("mail.mt_comment").id]
        followers = self.other_salesman.partner_id | outsider
        self._call(self.owner, file._name, "message_subscribe", [file.ids, followers.ids, subtypes])
        wizard_id = self._call(
            self.owner, "mail.wizard.invite", "create",
            [{"res_model": file._name, "res_id": file.id, "partner_ids": [(6, 0, followers.ids)],
              "notify": True, "message": "<p>The guarantor withdrew: have a look</p>"}],
        )
        self.owner.sudo().email = "owner@example.com"
        self._call(self.owner, "mail.wizard.invite", "add_followers", [[wizard_id]])
        self._post(file)
        for partner in followers:
            with self.subTest(partner=partner.name):
                self.assertEqual(self._got(partner, "guarantor"), (self.env["mail.notification"], self.env["mail.mail"]))
                self.assertEqual(self._got(partner, "overdraft"), (self.env["mail.notification"], self.env["mail.mail"]))
        self.assertFalse(self._heard(self.other_salesman))

    def test_a_file_is_not_mailed_out_in_mass(self):
        """Mail's composer in mass-mail mode sends e-mails straight to whom it
        is given (and the record's default recipients: the file's customer),
        without any note on the file nor any of its readers' rules: a credit
        file is not mailed out so."""
        file = self.files["department"]
        outsider = self._outsider()
        self.owner.sudo().email = "owner@example.com"
        composer_id = self._call(
            self.owner, "mail.compose.message", "create",
            [{"composition_mode": "mass_mail", "model": file._name, "res_ids": str(file.ids),
              "partner_ids": [(6, 0, outsider.ids)], "subject": "Credit file", "body": f"<p>{MESSAGE}</p>"}],
        )
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._call(self.owner, "mail.compose.message", "action_send_mail", [[composer_id]])
        self.assertFalse(self.env["mail.mail"].sudo().search([("body_html", "ilike", "guarantor")]))
        # the full composer of the chatter posts on the file, to its readers
        composer_id = self._call(
            self.owner, "mail.compose.message", "create",
            [{"composition_mode": "comment", "model": file._name, "res_ids": str(file.ids),
              "partner_ids": [(6, 0, (outsider | self.colleague.partner_id).ids)], "body": f"<p>{MESSAGE}</p>"}],
        )
        self._call(self.owner, "mail.compose.message", "action_send_mail", [[composer_id]])
        self.assertTrue(all(self._got(self.colleague.partner_id, "guarantor")))
        self.assertFalse(any(self._got(outsider, "guarantor")))

    def test_a_file_is_not_mailed_out_by_a_template(self):
        """A template sent on a record (``mail.template.send_mail``) e-mails
        its addressees straight, the file's fields rendered into it (for a
        Mail Template Editor): a credit file is not mailed out so either."""
        file = self.files["department"]
        self.owner.sudo().write(
            {"email": "owner@example.com", "groups_id": [(4, self.env.ref("mail.group_mail_template_editor").id)]}
        )
        template_id = self._call(
            self.owner, "mail.template", "create",
            [{"name": "File out", "model_id": self.env["ir.model"]._get_id(file._name),
              "email_to": "audit@example.com", "subject": "Credit file",
              "body_html": '<p>Representative: <t t-out="object.legal_representative"/></p>'}],
        )
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._call(self.owner, "mail.template", "send_mail", [[template_id], file.id])
        self.assertFalse(self.env["mail.mail"].sudo().search([("body_html", "ilike", "Rep department")]))
