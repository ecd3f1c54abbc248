from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import CreditThreeGradesCommon, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditChangeCreditHoldsGradePrerequisites(RpcMixin, CreditThreeGradesCommon, HttpCase):
    """Grade A of the A/B/C table needs a year of cooperation and no bad debt
    in two years (POLICY.md §1, seed 002). An evaluation cannot give it to a
    customer without them; nor can Change Credit, the other way a grade is
    given (RPC, as the form does)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a bad debt last year, lifted since: the debt happened
        cls.env["credit.policy.red.flag"].create(
            {
                "partner_id": cls.customer.id,
                "type_id": cls.env.ref("credit_policy.credit_policy_red_flag_type_bad_debt").id,
                "evidence": "Written off last year",
                "date": cls._months_ago(10),
            }
        ).active = False

    def _change(self, grade):
        """The Credit Manager gives ``grade`` with Change Credit; the error's name if refused."""
        vals = {
            "partner_id": self.customer.id,
            "grade_id": grade.id,
            "credit_limit": 0.0,
            "term_days": 0,
            "on_hold": False,
            "group_head_id": False,
            "collateral_value": 0.0,
            "collateral_note": False,
            "reason": "Long-standing customer of the group",
        }
        try:
            with mute_logger("odoo.http"):
                wizard_id = self._call(self.credit_manager, "credit.policy.limit.change.wizard", "create", [vals])
                self._call(self.credit_manager, "credit.policy.limit.change.wizard", "action_apply", [[wizard_id]])
        except JsonRpcException as error:
            return str(error)
        return None

    def test_grade_a_refused_without_its_prerequisites(self):
        error = self._change(self.grade_a)
        self.assertTrue(error and "ValidationError" in error, "grade A given without a year of cooperation")
        self.customer.invalidate_recordset()
        self.assertNotEqual(self.customer.credit_grade_id, self.grade_a)

    def test_grade_without_prerequisites_given(self):
        self.assertIsNone(self._change(self.grade_b))
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.credit_grade_id, self.grade_b)
