from odoo import api, models
from odoo.exceptions import UserError

from .credit_policy_archive_confidential_mixin import (
    ACTIVITY_CONTENT_FIELDS,
    ArchiveReferenceReads,
    archive_read_call,
    read_calls,
    read_write_calls,
    references_refused,
)
from .credit_policy_archive_file import COMPLETION_ACTIVITY


# As a file's notes through mail.message: searching the activities' text may
# log a read of their records, and each read method a client calls is one read.
@read_write_calls("search_count", "search")
@read_calls(
    read="activity",
    search_read="activity",
    web_read="activity",
    web_search_read="activity",
    read_group="group",
    web_read_group="group",
    export_data="export",
    # the activities of a list's activity widget
    activity_format="activity",
)
class MailActivity(ArchiveReferenceReads, models.Model):
    """The monthly "Complete the credit file" activity (seed 003) is the
    server's: it is done when the file's content changes, and only then
    (``credit.policy.archive.file._archive_close_completion_activities``).
    Nobody marks it done by hand, nor moves its deadline or turns it into
    another activity: either would leave a file uncompleted for months
    without any reminder falling due.

    An activity on a credit file (what to check, and why) is the file's
    content: it is planned for a reader of the file only (its assignment
    notice carries the note, by e-mail too), and read or changed only by
    whoever may read the file now (mail lets its assignee and creator do
    so whatever they may read of the record). Reading it is a logged read
    of the file, as reading the file's notes is."""

    _inherit = "mail.activity"
    _archive_content_fields = ACTIVITY_CONTENT_FIELDS
    _archive_reference_model_field = "res_model"
    _archive_reference_inverse = "activity_ids"
    _archive_read_channel = "activity"

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._archive_check_assignees()
        return activities

    def _archive_check_assignees(self):
        """Refuse an activity on a credit-file record assigned to someone who
        may not read it (whoever plans it, the server included)."""
        for activity in self.sudo():
            model = activity.res_model
            if not (activity.user_id and activity.res_id and model in self.env):
                continue
            record = self.env[model].sudo().browse(activity.res_id)
            if hasattr(record, "_archive_read_by") and not record._archive_read_by(activity.user_id):
                raise UserError(
                    self.env._(
                        "%(user)s may not read %(record)s: plan the activity for one of the credit file's readers.",
                        user=activity.user_id.name,
                        record=activity.res_name or record.display_name,
                    )
                )

    def _check_access(self, operation):
        result = super()._check_access(operation)
        allowed = self - result[0] if result else self
        refused = references_refused(allowed, "res_model", "res_id", "read")
        if not refused:
            return result
        forbidden = (result[0] if result else self.browse()) | refused
        return forbidden, lambda: self.env["ir.rule"]._make_access_error(operation, forbidden)

    def _to_store(self, store):
        # The chatter's activities (``/mail/thread/data``), read one by one:
        # one read of their files.
        return super(MailActivity, archive_read_call(self, "activity"))._to_store(store)

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
        result = super().write(values)
        if {"user_id", "res_model_id", "res_model", "res_id"} & values.keys():
            self._archive_check_assignees()
        return result

    def _action_done(self, feedback=False, attachment_ids=None):
        if not self.env.su and self._archive_completions():
            raise UserError(
                self.env._(
                    "A credit file is completed by bringing its content up to date: the activity is then "
                    "done by itself."
                )
            )
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
