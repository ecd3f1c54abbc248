from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        # EXTENDS base: the merge moves the credit group members and the
        # temporary limits of the merged partners to the one kept by SQL, which
        # the ORM does not see: its stored credit facts read from them follow.
        super()._update_foreign_keys(src_partners, dst_partner)
        for name in ("credit_group_is_head", "credit_temporary_limit_granted"):
            self.env.add_to_compute(dst_partner._fields[name], dst_partner)
