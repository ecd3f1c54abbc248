from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditGroup(CreditExposureCommon):
    """Group credit: the head's limit is shared by its members; sub-limits still apply;
    a member's temporary limit raises the group's limit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.head = cls._credit_customer("Group Head", 2000.0)
        cls.member = cls._credit_customer("Group Member", 0.0)
        cls.member_capped = cls._credit_customer("Capped Member", 300.0)
        (cls.member | cls.member_capped).credit_group_head_id = cls.head
        cls.check = cls.env["credit.policy.check"]

    def test_exposure_summed_over_group(self):
        self._order(self.head, 5)
        self._order(self.member, 8)
        self._order(self.member_capped, 2)
        figures = self._figures(self.member)
        self.assertEqual(figures["limit"], 2000.0, "the head holds the limit")
        self.assertEqual(figures["exposure"], 1500.0)
        self.head.invalidate_recordset()
        self.assertEqual(self.head.credit_exposure, 1500.0)
        result = self.env["credit.policy.check"]._evaluate(self.member, amount=600.0)
        self.assertEqual(result.account_partner_id, self.head.id)
        self.assertEqual(result.failure_codes, ["over_limit"])

    def test_member_sub_limit_checked(self):
        self._order(self.member_capped, 2)
        result = self.env["credit.policy.check"]._evaluate(self.member_capped, amount=150.0)
        self.assertEqual(result.failure_codes, ["over_sub_limit"])
        self.assertFalse(
            self.env["credit.policy.check"]._evaluate(self.member_capped, amount=100.0).blocked
        )

    def test_no_nested_groups(self):
        other = self._credit_customer("Other")
        with self.assertRaises(ValidationError):
            self.head.credit_group_head_id = other
        with self.assertRaises(ValidationError):
            other.credit_group_head_id = self.member

    def test_member_temporary_limit_counts_for_the_group(self):
        member = self._member()
        self.env["credit.policy.temporary.limit"].sudo().create(
            {
                "partner_id": member.id,
                "company_id": self.company.id,
                "amount": 500.0,
                "reason": "Seasonal peak of the member",
                "state": "approved",
            }
        )
        figures = self._figures(member)
        self.assertEqual(figures["temporary_limit"], 500.0)
        self.assertEqual(figures["effective_limit"], 1500.0)
        self.assertFalse(self.check._evaluate(member, amount=1200.0).blocked)

    def test_members_limit_for_its_order_counts_when_that_order_is_checked(self):
        order = self._order(self.member, 25, confirm=False)
        self.assertEqual(self.check._evaluate(self.member, order=order, amount=2500.0).failure_codes, ["over_limit"])
        self.env["credit.policy.temporary.limit"].sudo().create({
            "partner_id": self.member.id, "company_id": self.company.id, "amount": 600.0,
            "reason": "Tender won by the member", "state": "approved", "order_id": order.id,
        })
        self.assertFalse(self.head.credit_temporary_limit_granted, "the head holds none itself")
        result = self.check._evaluate(self.member, order=order, amount=2500.0)
        self.assertEqual(result.figures["effective_limit"], 2600.0)
        self.assertFalse(result.blocked)

    def test_archived_member_still_counts_for_the_group(self):
        self._order(self.member, 8)
        self.member.action_archive()
        self.assertEqual(self._figures(self.head)["exposure"], 800.0, "archiving settles nothing")

    def test_group_follows_members_joining_and_leaving(self):
        newcomer = self._credit_customer("Newcomer", 0.0)
        self._order(newcomer, 3)
        self.assertEqual(self._figures(self.head)["exposure"], 0.0)
        newcomer.credit_group_head_id = self.head
        self.assertEqual(self._figures(self.head)["exposure"], 300.0, "a member joining brings its exposure")
        for member in self.member | self.member_capped | newcomer:
            member.credit_group_head_id = False
        self.assertFalse(self.head.credit_group_is_head)
        self.assertEqual(self._figures(self.head)["exposure"], 0.0, "the members left with their exposure")
        self.assertEqual(self._figures(newcomer)["exposure"], 300.0)
        solo = self._credit_customer("Solo Head")
        self.assertFalse(solo.credit_group_is_head)
        self.member.credit_group_head_id = solo
        self._order(self.member, 2)
        self.assertTrue(solo.credit_group_is_head)
        self.assertEqual(self._figures(solo)["exposure"], 200.0)

    def test_partners_merged_keep_the_group_and_temporary_limits(self):
        duplicate = self._credit_customer("Group Head (duplicate)", 2000.0)
        self._order(self.member, 8)
        self.env["credit.policy.temporary.limit"].sudo().create({
            "partner_id": self.head.id, "company_id": self.company.id, "amount": 500.0,
            "reason": "Seasonal peak", "state": "approved",
        })
        self.env["base.partner.merge.automatic.wizard"]._merge([self.head.id, duplicate.id], duplicate)
        self.assertEqual(self.member.credit_group_head_id, duplicate)
        figures = self._figures(duplicate)
        self.assertEqual((figures["exposure"], figures["effective_limit"]), (800.0, 2500.0))
        self.env.cr.precommit.run()
        status = self.env["credit.policy.status"].search(
            [("partner_id", "=", duplicate.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual((status.exposure, status.effective_limit), (800.0, 2500.0), "the snapshot follows")

    def _ready_delivery(self, partner, qty):
        """The delivery of an order due after the horizon (not in the exposure yet), ready to validate."""
        picking = self._order(partner, qty, days=60).picking_ids
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        return picking

    def test_members_deliveries_validated_together_share_the_heads_limit(self):
        first, second = self._ready_delivery(self.head, 12), self._ready_delivery(self.member, 12)
        releases = (first | second)._credit_policy_block_releases()
        self.assertEqual(releases.picking_id, second, "1,200 + 1,200 over the head's 2,000")
        self.assertEqual((releases.partner_id, releases.exposure_amount), (self.member, 2400.0))

    def test_member_sub_limit_counts_its_documents_checked_together(self):
        first = self._order(self.member_capped, 2, confirm=False)
        second = self._order(self.member_capped, 2, confirm=False)
        results = (first | second)._credit_evaluate_in_sequence()
        self.assertFalse(results[first.id].blocked)
        self.assertEqual(results[second.id].failure_codes, ["over_sub_limit"], "200 + 200 over its own 300")
