from odoo import api, models
from odoo.exceptions import UserError

from ..models.credit_policy_archive_confidential_mixin import is_confidential_model


class PortalShare(models.TransientModel):
    """Odoo's *Share* sends a link to a record (with an access token or a
    sign-up invitation) and makes its recipients followers: a credit file
    is read by its readers only, as they are now, with each read logged, so
    it is never shared by link or with the portal, by a reader or not."""

    _inherit = "portal.share"

    @api.model
    def _archive_refuse_sharing(self, model):
        if is_confidential_model(self.env, model):
            raise UserError(
                self.env._(
                    "A credit file is confidential: it is never shared by link or with the portal. Whoever "
                    "needs to read it files an access request."
                )
            )

    @api.model
    def default_get(self, fields):
        # before mail builds the link (the web client opens the wizard so)
        self._archive_refuse_sharing(self.env.context.get("active_model"))
        return super().default_get(fields)

    @api.constrains("res_model")
    def _check_archive_not_shared(self):
        for wizard in self:
            self._archive_refuse_sharing(wizard.res_model)
