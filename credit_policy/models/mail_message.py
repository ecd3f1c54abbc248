from odoo import api, models
from odoo.exceptions import AccessError

from ..tools import TRAIL_SUBTYPE
from .credit_policy_workflow_mixin import is_credit_trusted

#: What a message says, where and by whom: a trail entry keeps them as posted.
TRAIL_ENTRY_FIELDS = frozenset(
    {"body", "subject", "attachment_ids", "tracking_value_ids", "subtype_id", "model", "res_id",
     "message_type", "author_id", "author_guest_id", "date", "record_name"}
)


class MailMessage(models.Model):
    """Entries of the credit change trail (:func:`credit_policy.tools.post_changes`)
    are kept as posted: mail lets whoever may write a record edit or delete
    its messages, which would let the author of a change erase its trace.
    Only the server (deleting the record they belong to) removes them."""

    _inherit = "mail.message"

    def _credit_raise_if_trail_entries(self):
        if self.env.su:
            return
        trail = self.env.ref(TRAIL_SUBTYPE, raise_if_not_found=False)
        if trail and trail in self.sudo().subtype_id:
            raise AccessError(self.env._("An entry of the credit change trail cannot be changed or deleted."))

    def _credit_raise_if_trail_given(self, vals_list):
        """Trail entries are posted by the changes themselves
        (:func:`credit_policy.tools.post_trail`), never by hand: one posted
        with the trail's subtype (message_post, in anybody's name) could not
        be removed."""
        if is_credit_trusted(self.env):
            return
        trail = self.env.ref(TRAIL_SUBTYPE, raise_if_not_found=False)
        if trail and any(vals.get("subtype_id") == trail.id for vals in vals_list):
            raise AccessError(self.env._("Entries of the credit change trail are recorded by the changes themselves."))

    @api.model_create_multi
    def create(self, vals_list):
        self._credit_raise_if_trail_given(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if TRAIL_ENTRY_FIELDS & vals.keys():
            self._credit_raise_if_trail_entries()
            self._credit_raise_if_trail_given([vals])
        return super().write(vals)

    def unlink(self):
        self._credit_raise_if_trail_entries()
        return super().unlink()
