from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.credit_policy.models.credit_policy_workflow_mixin import credit_trusted

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningGradeLadder(DunningCommon):
    """A grade picks the dunning ladder of its customers, on the grade table's form."""

    def setUp(self):
        super().setUp()
        self.strict = self.ladder.copy({"name": "Strict Ladder", "is_default": False})
        self.table = self.env["credit.policy.grade.table"].create(
            {
                "name": "Dunning Test Grades",
                "company_id": self.company.id,
                "grade_ids": [Command.create({"code": "B", "name": "Watch"})],
            }
        )

    def test_grade_form_shows_and_sets_the_ladder(self):
        with Form(self.table.with_user(self.manager)) as form:
            with form.grade_ids.edit(0) as grade:
                grade.dunning_ladder_id = self.strict
        self.assertEqual(self.table.grade_ids.dunning_ladder_id, self.strict)
        # The grade's customers climb it.
        partner = self.customer.sudo().with_company(self.company)
        credit_trusted(partner).write({"credit_grade_id": self.table.grade_ids.id})
        self.assertEqual(partner._dunning_ladder(self.company), self.strict)

    def test_ladder_of_another_company_is_refused(self):
        other_company = self.setup_other_company()["company"]
        other_ladder = self.env["credit.policy.dunning.ladder"]._default_for(other_company)
        self.assertTrue(other_ladder)
        with self.assertRaises(UserError):
            self.table.grade_ids.write({"dunning_ladder_id": other_ladder.id})
