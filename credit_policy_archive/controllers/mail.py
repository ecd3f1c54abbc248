from odoo import http
from odoo.http import request

from odoo.addons.mail.controllers.mailbox import MailboxController
from odoo.addons.mail.controllers.thread import ThreadController

from ..models.credit_policy_archive_confidential_mixin import is_confidential_model

# Mail's read-only routes below may return a credit file's content; reading
# it writes a read log, which a read-only transaction refuses: Odoo would then
# log the error with its traceback and run the whole request again in a
# read/write one. These routes are read/write from the start when they may
# read a file (the callables decide per request, as core's call_kw does).


def _reads_no_credit_file(controller):
    """``/mail/thread/data`` reads a credit file's content (its activities,
    attachments) only when the thread is a record of one."""
    model = (request.get_json_data().get("params") or {}).get("thread_model")
    return not is_confidential_model(request.registry, model)


def _may_read_credit_file_notes(controller):
    """A mailbox (inbox, history, starred) may hold a credit file's notes at
    any time: reading them there is logged. (A callable: Odoo warns at each
    start when an override makes a read-only route read/write with a plain
    value.)"""
    return False


class CreditFileThreadController(ThreadController):
    @http.route(readonly=_reads_no_credit_file)
    def mail_thread_data(self, thread_model, thread_id, request_list, **kwargs):
        return super().mail_thread_data(thread_model, thread_id, request_list, **kwargs)


class CreditFileMailboxController(MailboxController):
    @http.route(readonly=_may_read_credit_file_notes)
    def discuss_inbox_messages(self, search_term=None, before=None, after=None, limit=30, around=None):
        return super().discuss_inbox_messages(
            search_term=search_term, before=before, after=after, limit=limit, around=around
        )

    @http.route(readonly=_may_read_credit_file_notes)
    def discuss_history_messages(self, search_term=None, before=None, after=None, limit=30, around=None):
        return super().discuss_history_messages(
            search_term=search_term, before=before, after=after, limit=limit, around=around
        )

    @http.route(readonly=_may_read_credit_file_notes)
    def discuss_starred_messages(self, search_term=None, before=None, after=None, limit=30, around=None):
        return super().discuss_starred_messages(
            search_term=search_term, before=before, after=after, limit=limit, around=around
        )
