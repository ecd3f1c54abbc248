from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError
from odoo.osv import expression


class _ReadCall:
    """One client call reading confidential content: the channel it came
    through and the files already logged for it (hashable by identity, so
    that it can travel in the context)."""

    __slots__ = ("channel", "logged")

    def __init__(self, channel):
        self.channel = channel
        self.logged = set()


READ_CALL_KEY = "credit_archive_read_call"
#: In the context of a mail template's rendering (``mail.render.mixin``).
RENDERING_KEY = "credit_archive_rendering"

#: Fields of a confidential record that tell who reads it and how fresh it
#: is, not what it says: searching on them reads no content.
SEARCH_FREE_FIELDS = frozenset(
    {
        "id",
        "display_name",
        "file_id",
        "partner_id",
        "company_id",
        "owner_id",
        "team_id",
        "confidentiality",
        "active",
        "can_read",
        "can_edit",
        "create_date",
        "create_uid",
        "write_date",
        "write_uid",
        "last_update_date",
        "update_due_date",
        "last_review_date",
        "is_stale",
        "content_date",
    }
)
#: Mail bookkeeping fields (followers, activities) carry no content either.
SEARCH_FREE_PREFIXES = ("message_", "activity_", "my_activity_", "has_message", "website_message_")
#: The fields of a message, of an activity (its name is its summary), that
#: hold what was written on the record.
MESSAGE_CONTENT_FIELDS = frozenset({"body", "subject", "preview", "attachment_ids", "tracking_value_ids"})
ACTIVITY_CONTENT_FIELDS = frozenset({"summary", "note", "display_name"})
#: Mail's fields of a record reaching what was written on it (mail joins the
#: one2many ones in SQL: a search through them never asks their model):
#: searching on them, or on these fields of their records, reads the content.
MAIL_CONTENT_PATHS = {
    "message_ids": MESSAGE_CONTENT_FIELDS,
    "website_message_ids": MESSAGE_CONTENT_FIELDS,
    "activity_ids": ACTIVITY_CONTENT_FIELDS,
    "activity_summary": None,
}


#: Client methods the web client adds to every model (``base``, not
#: ``BaseModel``) that take no records.
WEB_MODEL_CALLS = frozenset({"web_search_read", "web_read_group"})


def read_write_calls(*names):
    """Class decorator of a model class: its client calls ``names`` (public
    ORM methods, unchanged) run in a read/write transaction
    (``_readonly = False``), since the reads or searches they make may write
    read-log rows."""

    def decorate(cls):
        for name in names:
            setattr(cls, name, _read_write_call(cls, name))
        return cls

    return decorate


def read_calls(**channels):
    """Class decorator of a model class: its client read methods
    (``name=channel``) are one read of confidential content through
    ``channel`` each (``archive_read_call``: a call logs a file once,
    whatever it reaches), in a read/write transaction (the read writes the
    log row)."""

    def decorate(cls):
        for name, channel in channels.items():
            setattr(cls, name, _read_write_call(cls, name, channel))
        return cls

    return decorate


def template_rendering_calls(cls):
    """Class decorator of a wizard rendering mail templates on the records it
    is given (``mail.render.mixin`` logs a credit file's records rendered):
    each client call is one read, in a read/write transaction, its creation
    included (its stored rendered fields computed within it)."""

    def create(self, vals_list):
        wizards = super(cls, archive_read_call(self, "template")).create(vals_list)
        wizards.flush_recordset()
        return wizards.with_env(self.env)

    cls.create = api.model_create_multi(create)
    return read_calls(read="template", web_read="template", onchange="template", web_save="template")(cls)


def _read_write_call(cls, name, channel=None):
    def call(self, *args, **kwargs):
        records = archive_read_call(self, channel) if channel else self
        return getattr(super(cls, records), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call._readonly = False
    # as the ORM's own (web_read, added by the web client, is a record method)
    if name in WEB_MODEL_CALLS or getattr(getattr(models.BaseModel, name, None), "_api", None) == "model":
        call = api.model(call)
    return call


def archive_read_call(records, channel):
    """``records`` in a client call reading confidential content through
    ``channel`` (the call already running, if any)."""
    if isinstance(records.env.context.get(READ_CALL_KEY), _ReadCall):
        return records
    return records.with_context(**{READ_CALL_KEY: _ReadCall(channel)})


def archive_copy_error(env):
    """The refusal of a copy of confidential content (a record of a credit
    file, one of its notes) to anyone but the server."""
    return UserError(
        env._(
            "A credit file and its content cannot be duplicated: open a new file or add the "
            "content to it instead."
        )
    )


def archive_mail_out_error(env):
    """The refusal of e-mails sent straight from a credit-file record (mail's
    mass mailing, a template sent on it): only its chatter writes to whom
    may read it."""
    return UserError(
        env._("A credit file is not mailed out: post a message on it instead, which reaches its readers only.")
    )


def in_read_call(env):
    return isinstance(env.context.get(READ_CALL_KEY), _ReadCall)


def log_content_search(records, query, reads_content, log):
    """Log the records search ``query`` matched as read, through
    ``log(records, channel)``, when ``reads_content()`` says its domain tests
    their content: answering a question on the content reads it (bisecting a
    count on a value finds it). Inside a client read too, once with the read
    and under its channel: the read may return the ids only, or count matches
    beyond its page. The server's own searches are not reads. Returns
    ``query``."""
    if not records.env.su and not query.is_empty() and reads_content():
        log(records.browse(query.get_result_ids()), None if in_read_call(records.env) else "search")
    return query


def is_confidential_model(env, name):
    """Whether the model ``name`` holds a credit file's content (``env``: an
    environment, or a registry where there is none yet)."""
    return bool(name) and name in env and hasattr(env[name], "_archive_log_read")


def confidential_models(env):
    """The models whose records hold a credit file's content."""
    return [
        name
        for name in env.registry.descendants(["credit.policy.archive.confidential.mixin"], "_inherit")
        if not env[name]._abstract
    ]


def readable_references_domain(env, model_field, res_id_field, inverse):
    """The domain of the records pointing at a record by model and id
    (``model_field``, ``res_id_field``: messages, activities) that the
    current user may see as far as the credit files go: none pointing at a
    confidential record but at one he may read now, of a model that has
    them (its one2many ``inverse``); any pointing elsewhere. A subquery:
    nothing is read here."""
    models = confidential_models(env)
    return expression.OR(
        [[(model_field, "not in", models)]]
        + [
            [(model_field, "=", name), (res_id_field, "in", env[name].with_context(active_test=False)._search([]))]
            for name in models
            # who may read none of them (portal) sees none, without an access error
            if inverse in env[name]._fields and env["ir.model.access"].check(name, "read", raise_exception=False)
        ]
    )


def log_reference_reads(records, model_field, res_id_field, channel):
    """Log a read through ``channel`` of the confidential records that
    ``records`` (messages, activities: pointing at a record by model and id)
    are about, as the current user's."""
    env = records.env
    if env.su or not records:
        return
    res_ids_by_model = defaultdict(set)
    for record in records.sudo():
        model, res_id = record[model_field], record[res_id_field]
        if res_id and is_confidential_model(env, model):
            res_ids_by_model[model].add(res_id)
    for model, res_ids in res_ids_by_model.items():
        env[model].browse(sorted(res_ids)).sudo().exists().with_env(env)._archive_log_read(channel)


def references_refused(records, model_field, res_id_field, operation):
    """Those of ``records`` (pointing at a record by model and id) whose
    confidential record the current user may not access for ``operation``
    now (a missing one included): what is said on a record of a credit file
    goes with the file, whatever else the pointing model grants."""
    env = records.env
    ids_by_record = defaultdict(lambda: defaultdict(list))
    # only these two fields: the cache is shared with the caller's records
    for record in records.sudo().with_context(prefetch_fields=False):
        model, res_id = record[model_field], record[res_id_field]
        if res_id and is_confidential_model(env, model):
            ids_by_record[model][res_id].append(record.id)
    refused = []
    for model, ids_by_res_id in ids_by_record.items():
        targets = env[model].with_context(active_test=False).browse(ids_by_res_id)
        allowed = set(targets.exists()._filtered_access(operation)._ids)
        refused += [id_ for res_id, ids in ids_by_res_id.items() if res_id not in allowed for id_ in ids]
    return records.browse(refused)


def tests_mail_content(name, leaf):
    """Whether the condition ``leaf`` on the record's mail field ``name``
    tests what was written on the record (its notes, its activities)."""
    if name not in MAIL_CONTENT_PATHS:
        return False
    fields = MAIL_CONTENT_PATHS[name]
    if fields is None:
        return True
    path = str(leaf[0]).split(".")
    if len(path) > 1:
        return path[1] in fields
    if leaf[1] in ("any", "not any") and isinstance(leaf[2], (list, tuple)):
        return any(sub_name in fields for sub_name, _sub_leaf in domain_conditions(leaf[2]))
    return False


def domain_conditions(domain):
    """The conditions of ``domain`` as ``(first field of the path, leaf)``,
    operators and the constant leaves left out."""
    for leaf in domain or []:
        if not isinstance(leaf, (list, tuple)) or len(leaf) != 3 or tuple(leaf) in (
            expression.TRUE_LEAF,
            expression.FALSE_LEAF,
        ):
            continue
        yield str(leaf[0]).split(".", 1)[0], leaf


class ArchiveReferenceReads:
    """What the records pointing at a record by model and id (messages,
    activities) say is the content of their credit-file record: a client
    reading it, searching or grouping by it or exporting it reads the file
    (logged against the file), and a search finds only those on the files
    its user may read now.

    A plain class, not an Odoo mixin: listed before ``models.Model`` in the
    bases of an ``_inherit`` class, it comes right after that class in the
    model's MRO, before mail's own overrides (as if its methods were written
    there); an abstract model in ``_inherit`` would come after mail's
    ``_search`` and ``_read_format`` and change the order in which the
    files' rules and mail's apply.

    The model sets the fields holding what was written
    (``_archive_content_fields``), the field naming the record's model
    (``_archive_reference_model_field``; its id is ``res_id``), the one2many
    of a model reaching them (``_archive_reference_inverse``) and the
    channel of a client's read of them (``_archive_read_channel``)."""

    # No instance __dict__, as model classes (recordsets take no other
    # attributes): the registry, setting a model's bases, refuses a base of
    # another layout ("object layout differs").
    __slots__ = ()

    _archive_content_fields = frozenset()
    _archive_reference_model_field = None
    _archive_reference_inverse = None
    _archive_read_channel = None

    def _archive_log_record_reads(self, channel):
        """Log a read of the confidential records these records are about."""
        log_reference_reads(self, self._archive_reference_model_field, "res_id", channel)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # mail's own rules (a message's author, recipients and notified
        # partners, an activity's assignee) apply after the files'
        readable = domain if self.env.su else expression.AND(
            [
                readable_references_domain(
                    self.env, self._archive_reference_model_field, "res_id", self._archive_reference_inverse
                ),
                domain or [],
            ]
        )
        # Searching their text reads the records they belong to.
        return log_content_search(
            self,
            super()._search(readable, offset=offset, limit=limit, order=order),
            lambda: any(name in self._archive_content_fields for name, _leaf in domain_conditions(domain)),
            lambda records, channel: records._archive_log_record_reads(channel),
        )

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if in_read_call(self.env) and self._archive_content_fields.intersection(fnames):
            self.browse([values["id"] for values in result if "id" in values])._archive_log_record_reads(
                self._archive_read_channel
            )
        return result

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        result = super()._read_group(
            domain, groupby, aggregates, having=having, offset=offset, limit=limit, order=order
        )
        # Groups by their text return it as group values: a read of the
        # confidential records the grouped ones belong to.
        grouped = {spec.split(":")[0].split(".")[0] for spec in (*groupby, *aggregates)}
        if not self.env.su and self._archive_content_fields & grouped:
            self.search(domain)._archive_log_record_reads("group")
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        rows = super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        if self._archive_content_fields.intersection(path[0] for path in fields if path):
            self._archive_log_record_reads("export")
        return rows


# The public searches a client calls may log a read; its read methods name
# their channel.
@read_write_calls("search_count", "search", "search_fetch", "name_search")
@read_calls(read="read", search_read="search_read", web_read="form", web_search_read="list", web_read_group="group")
class CreditPolicyArchiveConfidentialMixin(models.AbstractModel):
    """Content of a confidential credit file: every read is logged.

    All the ways a client reads records end in ``_read_format`` (``read``,
    ``search_read``, ``web_read`` and ``web_search_read`` of a form or list),
    so that is where a read is logged; exports (``_export_rows``, reached
    by this model's ``export_data`` and by any other model's export following
    a relation into the archive), searches whose domain tests the content
    (``_search``: every record matched, a document's name included), grouped
    reads (sums of the content), the annual review report, attachment
    downloads and the file's notes and activities read through
    ``mail.message`` and ``mail.activity`` log their own. Nobody but the server duplicates a confidential record
    (``copy_data``).
    The public read methods only name the channel, and are marked as writing
    so that the web client's call runs in a read/write transaction (the log
    row is written by the read). One client call logs a file once, whatever
    the ways it reached it (``_ReadCall``).

    Models list how to reach their file in ``_archive_files``.
    """

    _name = "credit.policy.archive.confidential.mixin"
    _description = "Confidential Credit File Content"

    def _archive_files(self):
        """The credit files whose content these records hold (read as superuser)."""
        return self.env["credit.policy.archive.file"]

    def _archive_read_by(self, user):
        """Whether ``user`` may read this record now (the access matrix, his
        grants and his companies)."""
        self.ensure_one()
        return self.with_user(user).with_context(allowed_company_ids=user.company_ids.ids).has_access("read")

    def _archive_read_call(self, channel):
        return archive_read_call(self, channel)

    def _archive_log_read(self, channel=None):
        """Log that the current user read these records' content."""
        if self.env.su or not self:
            # Server code working as superuser is not a person reading.
            return
        call = self.env.context.get(READ_CALL_KEY)
        call = call if isinstance(call, _ReadCall) else _ReadCall(channel or "read")
        # A new record's form (not saved yet) holds nothing on file to read.
        saved = self.filtered(lambda record: isinstance(record.id, int))
        # Only the fields the log needs: the cache is shared with the reader's
        # records, and content prefetched as superuser would be served to his
        # code (a template rendered after the log) without the access check.
        files = saved.sudo().with_context(prefetch_fields=False)._archive_files().filtered(
            lambda f: isinstance(f.id, int) and f.id not in call.logged
        )
        if not files:
            return
        call.logged.update(files.ids)
        self.env["credit.policy.archive.read.log"].sudo()._log_reads(
            self.env.user, files, channel or call.channel, self._name
        )

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        # Only the reads a client asked for (the public read methods, through
        # ``read_calls``, name them): the chatter's own bookkeeping (mail's
        # thread store reads no content field) would otherwise log every form
        # twice.
        if in_read_call(self.env):
            self.browse([values["id"] for values in result if "id" in values])._archive_log_read()
        return result

    def _fetch_query(self, query, fields):
        fetched = super()._fetch_query(query, fields)
        # A template evaluates what its author wrote on the records it reaches
        # (a customer's files, a file's visits): whatever it fetches of them,
        # with the user's rights, it reads.
        if self.env.context.get(RENDERING_KEY) and in_read_call(self.env):
            fetched._archive_log_read()
        return fetched

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        # Grouped lists show sums of the content: a read of every file grouped
        # (logged once, as such, not also as a search on the content).
        records = self._archive_read_call("group")
        result = super(CreditPolicyArchiveConfidentialMixin, records).read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy
        )
        records.search(domain or [])._archive_log_read("group")
        return result

    read_group._readonly = False

    def export_data(self, fields_to_export):
        records = self._archive_read_call("export")
        result = super(CreditPolicyArchiveConfidentialMixin, records).export_data(fields_to_export)
        records._archive_log_read("export")
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        # Every export reaches the content through here, its own
        # ``export_data`` or that of another model following a relation into
        # the archive (the customer's files, an evaluation's file, ...).
        # One export, one read: the file and its lines exported through
        # another model (the customer's files and their statements) log once.
        records = self._archive_read_call("export")
        rows = super(CreditPolicyArchiveConfidentialMixin, records)._export_rows(
            fields, _is_toplevel_call=_is_toplevel_call
        )
        records._archive_log_read("export")
        return rows

    # A copy reads the whole content into a record with other readers (and
    # none of the original's read log): nobody but the server duplicates it.
    def copy_data(self, default=None):
        if not self.env.su:
            raise archive_copy_error(self.env)
        return super().copy_data(default=default)

    # ------------------------------------------------------------------
    # Searches on the content
    # ------------------------------------------------------------------
    @api.model
    def _archive_domain_reads_content(self, domain):
        """Whether ``domain`` tests a field holding the content (not only
        who reads the record, or how fresh it is)."""
        for name, leaf in domain_conditions(domain):
            if name == "display_name" and self._archive_name_is_content():
                return True
            if tests_mail_content(name, leaf):
                return True
            if name in SEARCH_FREE_FIELDS or name.startswith(SEARCH_FREE_PREFIXES):
                if leaf[1] == "any" or leaf[1] == "not any":
                    # a sub-domain of a free relation (the file of a content
                    # record) may still test content
                    if name == "file_id" and self.env["credit.policy.archive.file"]._archive_domain_reads_content(
                        leaf[2] if isinstance(leaf[2], (list, tuple)) else []
                    ):
                        return True
                elif name == "file_id" and "." in str(leaf[0]):
                    if self.env["credit.policy.archive.file"]._archive_domain_reads_content(
                        [(str(leaf[0]).split(".", 1)[1], leaf[1], leaf[2])]
                    ):
                        return True
                continue
            return True
        return False

    @api.model
    def _archive_name_is_content(self):
        """Whether these records' name (what a search on ``display_name``,
        e.g. ``name_search``, tests) is part of the content: a document's
        name is, a file's (its customer) is not."""
        names = self._rec_names_search or ([self._rec_name] if self._rec_name else [])
        return any(name.split(".", 1)[0] not in SEARCH_FREE_FIELDS for name in names)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # e.g. bisecting a search on the registered capital finds its value
        return log_content_search(
            self,
            super()._search(domain, offset=offset, limit=limit, order=order),
            lambda: self._archive_domain_reads_content(domain),
            lambda records, channel: records._archive_log_read(channel),
        )

