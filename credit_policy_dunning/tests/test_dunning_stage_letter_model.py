from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.test_credit_workflow_forgery import RpcMixin

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningStageLetterModel(RpcMixin, DunningCommon, HttpCase):
    """A stage's letter and email are about dunning actions only: the letter
    engine renders them as superuser, so a report or template on another
    model would print any record (another customer's invoices, users...)."""

    def test_letter_and_email_on_another_model_are_refused(self):
        stage = self.stages[2]
        invoice_report = self.env.ref("account.account_invoices")
        partner_template = self.env["mail.template"].create(
            {"name": "Partner card", "model_id": self.env["ir.model"]._get_id("res.partner")}
        )
        for vals in ({"report_id": invoice_report.id}, {"mail_template_id": partner_template.id}):
            with self.subTest(vals=vals), self.assertRaisesRegex(JsonRpcException, "ValidationError"):
                self._call(self.manager, stage._name, "write", [stage.ids, vals])
        with self.assertRaisesRegex(JsonRpcException, "ValidationError"):
            self._call(
                self.manager, stage._name, "create",
                [{"ladder_id": self.ladder.id, "sequence": 99, "name": "Extra", "days_from": 9000,
                  "report_id": invoice_report.id}],
            )
        stage.invalidate_recordset()
        self.assertNotEqual(stage.report_id, invoice_report)
        self.assertNotEqual(stage.mail_template_id, partner_template)

    def test_letters_on_dunning_actions_are_accepted(self):
        stage = self.stages[2]
        report = self.env.ref("credit_policy_dunning.action_report_dunning_final_letter")
        self._call(self.manager, stage._name, "write", [stage.ids, {"report_id": report.id}])
        self.assertEqual(stage.report_id, report)
