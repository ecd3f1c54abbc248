from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditTierReviewGuard(CreditGradingCommon):
    """Nobody decides a credit approval step but its own reviewer, even by RPC."""

    def setUp(self):
        super().setUp()
        self.evaluation = self._evaluation(30, 24, 26, user=self.salesperson)
        self.evaluation.proposed_limit = 150000
        self.evaluation.action_submit()
        self.first_review = self.evaluation.review_ids.sorted("sequence")[0]

    def test_salesperson_cannot_forge_an_approval(self):
        review = self.first_review.with_user(self.salesperson)
        for vals in (
            {"status": "approved"},
            {"status": "approved", "done_by": self.regional_manager.id},
            {"done_by": self.salesperson.id},
            {"reviewer_ids": [(4, self.salesperson.id)]},
            {"res_id": self.evaluation.id + 1},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                review.write(vals)
        with self.assertRaises(AccessError):
            self.env["tier.review"].with_user(self.salesperson).create(
                {
                    "model": "credit.policy.evaluation",
                    "res_id": self.evaluation.id,
                    "definition_id": self.first_review.definition_id.id,
                    "status": "approved",
                }
            )
        self.assertEqual(self.first_review.status, "pending")
        self.assertEqual(self.evaluation.state, "to_approve")

    def test_reviewer_still_decides_through_the_chain(self):
        self._validate_as(self.evaluation, self.regional_manager)
        self.assertEqual(self.first_review.status, "approved")
        self.assertEqual(self.first_review.done_by, self.regional_manager)
        with self.assertRaises(AccessError):
            self.first_review.with_user(self.regional_manager).write({"done_by": self.finance.id})

    def test_other_documents_keep_the_library_rules(self):
        other = self.env["tier.review"].with_user(self.salesperson).create(
            {"model": "res.partner", "res_id": self.customer.id, "status": "pending"}
        )
        other.write({"status": "approved"})
        self.assertEqual(other.status, "approved")
