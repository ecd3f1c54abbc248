from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditEvaluationForm(CreditGradingCommon):
    """The evaluation form: an explanation that names each grade, the proposer's
    buttons kept from the approvers, approvals in the chatter, criteria rows
    that cannot be dropped."""

    def _submitted(self):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson)  # AA
        evaluation.proposed_limit = 150000
        evaluation.action_submit()
        return evaluation.with_user(self.env.user)

    def test_explanation_names_the_band_grade_before_the_new_customer_cap(self):
        newcomer = self.env["res.partner"].create({"name": "Newcomer Ltd", "is_company": True})
        evaluation = self._evaluation(30, 24, 26, partner=newcomer, kind="new")  # band AA
        self.assertEqual(evaluation.grade_id, self.grade["A"])
        explanation = evaluation.grade_explanation
        self.assertIn("grade AA", explanation)
        self.assertIn("Grade AA capped at A", explanation)
        self.assertLess(explanation.index("grade AA"), explanation.index("capped at A"))

    def test_explanation_names_the_grade_before_the_sub_score_step(self):
        evaluation = self._evaluation(34, 28, 28)  # band AAA, repayment below its minimum
        self.assertEqual(evaluation.grade_id, self.grade["AA"])
        self.assertIn("grade AAA", evaluation.grade_explanation)
        self.assertIn("Grade AAA lowered one level to AA", evaluation.grade_explanation)

    def _form_buttons(self, evaluation, user):
        view = evaluation.with_user(user).get_views([(False, "form")])["views"]["form"]
        arch = etree.fromstring(view["arch"])
        return {
            name: arch.xpath(f"//button[@name='{name}']")[0].get("invisible", "")
            for name in ("action_draft", "action_cancel", "restart_validation")
        }

    def test_approvers_do_not_get_the_proposers_buttons(self):
        evaluation = self._submitted()
        for name, invisible in self._form_buttons(evaluation, self.regional_manager).items():
            self.assertIn("not is_proposer", invisible, name)
        self.assertFalse(evaluation.with_user(self.regional_manager).is_proposer)
        self.assertTrue(evaluation.with_user(self.salesperson).is_proposer)
        self.assertTrue(evaluation.with_user(self.credit_manager).is_proposer)
        for action in ("action_draft", "action_cancel", "restart_validation"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(evaluation.with_user(self.regional_manager), action)()
        self.assertEqual(evaluation.state, "to_approve")
        evaluation.with_user(self.salesperson).action_draft()
        self.assertEqual(evaluation.state, "draft")

    def test_each_approval_and_its_opinion_is_posted(self):
        evaluation = self._submitted()
        self._validate_as(evaluation, self.regional_manager, "Known customer, pays on time")
        bodies = evaluation.sudo().message_ids.mapped("body")
        self.assertTrue(
            any("Known customer, pays on time" in body and self.regional_manager.name in body for body in bodies),
            bodies,
        )

    def test_evaluator_cannot_delete_a_criterion_row(self):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson)
        line = evaluation.line_ids[0]
        with self.assertRaises(UserError):
            evaluation.with_user(self.salesperson).write({"line_ids": [Command.delete(line.id)]})
        with self.assertRaises(UserError):
            line.with_user(self.salesperson).unlink()
        self.assertTrue(line.exists())
        view = evaluation.with_user(self.salesperson).get_views([(False, "form")])["views"]["form"]
        lines_list = etree.fromstring(view["arch"]).xpath("//field[@name='line_ids']/list")[0]
        self.assertEqual(lines_list.get("delete"), "0")
        # The whole draft evaluation can still be deleted, sheet included.
        evaluation.with_user(self.credit_manager).unlink()
        self.assertFalse(line.exists())
