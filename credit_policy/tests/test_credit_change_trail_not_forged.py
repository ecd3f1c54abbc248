from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import CreditGradingCommon, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditChangeTrailNotForged(RpcMixin, CreditGradingCommon, HttpCase):
    """The change trail of a grade table says who changed what a grade grants;
    its entries are kept as posted. They are the server's record of real
    changes: nobody posts one by hand (RPC message_post with the trail's
    subtype), least of all in another user's name, where it could then never
    be removed."""

    def test_trail_entry_not_posted_by_hand(self):
        trail = self.env.ref("credit_policy.mt_credit_change_trail")
        before = self.table.message_ids
        try:
            with mute_logger("odoo.http"):
                self._call(
                    self.credit_manager, self.table._name, "message_post", [self.table.ids],
                    {
                        "body": "Grade AAA changed: Maximum Credit Limit: 100,000 → 9,000,000",
                        "subtype_xmlid": "credit_policy.mt_credit_change_trail",
                        "author_id": self.general_manager.partner_id.id,
                    },
                )
        except JsonRpcException:
            pass
        self.table.invalidate_recordset()
        posted = self.table.message_ids - before
        self.assertFalse(posted.filtered(lambda m: m.subtype_id == trail), "a trail entry posted by hand")

    def test_real_changes_still_recorded(self):
        trail = self.env.ref("credit_policy.mt_credit_change_trail")
        before = self.table.message_ids
        self.grade["AAA"].with_user(self.credit_manager).max_term_days += 1
        self.table.invalidate_recordset()
        self.assertTrue((self.table.message_ids - before).filtered(lambda m: m.subtype_id == trail))
