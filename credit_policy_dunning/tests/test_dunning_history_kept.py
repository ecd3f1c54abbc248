from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningHistoryKept(RpcMixin, DunningCommon, HttpCase):
    """The actions carried out are the customers' dunning history, also while
    their run is still open (the wizard restricted to some customers, the
    scheduled run between two batches, actions waiting for a salesperson):
    deleting the open run must not take them with it."""

    def test_a_run_carried_out_in_part_cannot_be_deleted(self):
        second = self._credit_customer("Second Debtor Ltd")
        second.write({"email": "second@example.com", "user_id": self.salesperson.id})
        self._overdue_invoice(self.customer, 800.0, 20)
        self._overdue_invoice(second, 300.0, 20)
        run = self._prepare()
        self.assertEqual(len(run.line_ids), 2)
        # Only the first customer's letter goes out (as the wizard restricted to him does).
        run.with_user(self.controller)._execute_run(self._line(run))
        sent = self._line(run)
        self.assertEqual(sent.state, "done")
        self.assertEqual(run.state, "draft")
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._call(self.controller, run._name, "unlink", [run.ids])
        self.assertTrue(sent.exists(), "the letter sent stays in the customer's history")
        # Nothing is sent twice: the next run knows the letter went out.
        run.with_user(self.controller).action_execute()
        self.assertEqual(run.state, "done")
        self.assertFalse(self._prepare(), "the same letter is not proposed again")

    def test_a_run_with_nothing_carried_out_can_still_be_deleted(self):
        self._overdue_invoice(self.customer, 800.0, 20)
        run = self._prepare()
        self._call(self.controller, run._name, "unlink", [run.ids])
        self.assertFalse(run.exists())

    def test_a_letter_sent_cannot_be_rewritten_moved_or_deleted(self):
        self._overdue_invoice(self.customer, 800.0, 20)
        self.customer.email = False  # printed: also in the run's letters to print
        run = self._run()
        letter, printed = self._line(run).letter_attachment_id, run.print_attachment_id
        self.assertTrue(letter and printed)
        content = letter.raw
        forged = [
            ("write", {"datas": "PHA+Rm9yZ2VkPC9wPg=="}),
            ("write", {"res_model": False, "res_id": 0}),
            ("write", {"public": True}),
            ("unlink", None),
        ]
        for attachment in (letter, printed):
            for method, vals in forged:
                args = [attachment.ids, vals] if vals is not None else [attachment.ids]
                with self.subTest(attachment=attachment.name, method=method, vals=vals):
                    with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                        self._call(self.controller, "ir.attachment", method, args)
        letter.invalidate_recordset()
        self.assertEqual(letter.raw, content)
        self.assertTrue(printed.exists())
        self.assertEqual(self._line(run).letter_attachment_id, letter)

    def test_a_personal_default_does_not_publish_the_letters(self):
        self._overdue_invoice(self.customer, 800.0, 20)
        self.customer.email = False  # printed: also in the run's letters to print
        self.env["ir.default"].set("ir.attachment", "public", True, user_id=self.controller.id)
        run = self._run(user=self.controller)
        letter, printed = self._line(run).letter_attachment_id, run.print_attachment_id
        self.assertTrue(letter and printed)
        self.assertFalse(letter.public, "a letter is read by who may read its action, never by anyone")
        self.assertFalse(printed.public)
