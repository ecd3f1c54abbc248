from odoo import models
from odoo.exceptions import UserError

from .credit_policy_archive_file import COMPLETION_ACTIVITY


class MailActivity(models.Model):
    """The monthly "Complete the credit file" activity (seed 003) is the
    server's: it is done when the file's content changes, and only then
    (``credit.policy.archive.file._archive_close_completion_activities``).
    Nobody marks it done by hand, nor moves its deadline or turns it into
    another activity: either would leave a file uncompleted for months
    without any reminder falling due."""

    _inherit = "mail.activity"

    def _archive_completions(self):
        """These activities that are credit file completions."""
        completion = self.env.ref(COMPLETION_ACTIVITY, raise_if_not_found=False)
        return self.sudo().filtered(lambda activity: completion and activity.activity_type_id == completion)

    def write(self, values):
        if not self.env.su and {"date_deadline", "activity_type_id", "res_model_id", "res_model", "res_id"} & (
            values.keys()
        ) and self._archive_completions():
            raise UserError(
                self.env._(
                    "The completion of a credit file falls due on its day: complete the file instead (the "
                    "activity is then done by itself)."
                )
            )
        return super().write(values)

    def _action_done(self, feedback=False, attachment_ids=None):
        if not self.env.su and self._archive_completions():
            raise UserError(
                self.env._(
                    "A credit file is completed by bringing its content up to date: the activity is then "
                    "done by itself."
                )
            )
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
