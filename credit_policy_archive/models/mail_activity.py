from odoo import api, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .credit_policy_archive_confidential_mixin import (
    ACTIVITY_CONTENT_FIELDS,
    archive_read_call,
    domain_conditions,
    in_read_call,
    log_content_search,
    log_reference_reads,
    read_calls,
    read_write_calls,
    readable_references_domain,
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
class MailActivity(models.Model):
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

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # mail's own rules (the assignee reads his activities) apply after the files'
        readable = domain if self.env.su else expression.AND(
            [readable_references_domain(self.env, "res_model", "res_id", "activity_ids"), domain or []]
        )
        # Searching the activities' text reads the records they belong to.
        return log_content_search(
            self,
            super()._search(readable, offset=offset, limit=limit, order=order),
            lambda: any(name in ACTIVITY_CONTENT_FIELDS for name, _leaf in domain_conditions(domain)),
            lambda activities, channel: activities._archive_log_record_reads(channel),
        )

    # ------------------------------------------------------------------
    # Reads of a file's activities are reads of the file
    # ------------------------------------------------------------------
    def _archive_log_record_reads(self, channel):
        """Log a read of the confidential records these activities are about."""
        log_reference_reads(self, "res_model", "res_id", channel)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if in_read_call(self.env) and ACTIVITY_CONTENT_FIELDS.intersection(fnames):
            self.browse([values["id"] for values in result if "id" in values])._archive_log_record_reads("activity")
        return result

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        result = super()._read_group(
            domain, groupby, aggregates, having=having, offset=offset, limit=limit, order=order
        )
        # Groups by the activities' text return it as group values.
        grouped = {spec.split(":")[0].split(".")[0] for spec in (*groupby, *aggregates)}
        if not self.env.su and ACTIVITY_CONTENT_FIELDS & grouped:
            self.search(domain)._archive_log_record_reads("group")
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        rows = super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        if ACTIVITY_CONTENT_FIELDS.intersection(path[0] for path in fields if path):
            self._archive_log_record_reads("export")
        return rows

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
