from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        # EXTENDS base: the merge moves the merged partners' documents, credit
        # group members and temporary limits to the partner kept by SQL, which
        # the ORM does not see: its stored credit facts and its status
        # snapshot in every credit control area follow.
        super()._update_foreign_keys(src_partners, dst_partner)
        for name in ("credit_group_is_head", "credit_temporary_limit_granted"):
            self.env.add_to_compute(dst_partner._fields[name], dst_partner)
        Status = self.env["credit.policy.status"]
        for area in self.env["res.company"].sudo().search([("parent_id", "=", False)]):
            Status._mark_dirty(dst_partner, area)
