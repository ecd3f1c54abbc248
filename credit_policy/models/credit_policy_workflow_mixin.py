from odoo import api, fields, models
from odoo.exceptions import AccessError

from .. import policy

# A context value no client can send: JSON-RPC only carries plain data, so a
# key holding this object can only have been set by server code. The credit
# workflows use it to vouch for what they create (see ``_credit_trusted``).
WORKFLOW_TOKEN = object()
WORKFLOW_TOKEN_KEY = "credit_policy_workflow_token"


def credit_trusted(env_or_records):
    """The records (or environment) carrying the workflow token: what the
    credit workflows themselves create or decide."""
    return env_or_records.with_context(**{WORKFLOW_TOKEN_KEY: WORKFLOW_TOKEN})


def is_credit_trusted(env):
    return env.su or env.context.get(WORKFLOW_TOKEN_KEY) is WORKFLOW_TOKEN


class CreditPolicyWorkflowMixin(models.AbstractModel):
    """One guard for every credit workflow record (releases, temporary limits,
    evaluations): its state and decision fields are set by the model's own
    action methods only.

    A client can reach a field three ways besides the action methods: the
    values it passes, a ``default_<field>`` context key, and its own personal
    ``ir.default``. On creation by anyone but the workflow itself, every
    workflow field is forced to its initial value (the field's own default)
    before the ORM fills the record, and the record the ORM produced is then
    judged: a workflow field that is not at its initial value refuses the
    creation. Writing a workflow field is refused outright; the action methods
    check who may act and then write as superuser. What the workflow itself
    creates takes its workflow fields from its own values and the model's
    defaults only (see :meth:`default_get`): it runs as the user, whose
    personal defaults would otherwise fill the fields it leaves out.

    Models list their fields in ``_credit_workflow_fields`` and the context
    keys that would switch their checks off in ``_credit_workflow_bypass_keys``.
    """

    _name = "credit.policy.workflow.mixin"
    _description = "Credit Workflow Guard"

    #: Fields only the model's own action methods set.
    _credit_workflow_fields = frozenset()
    #: Context keys that switch checks off: dropped from any client call.
    _credit_workflow_bypass_keys = ()
    #: Fields the current user's right to decide follows (credit_can_decide).
    _credit_decision_depends = ("create_uid",)

    credit_can_decide = fields.Boolean(
        string="You May Decide",
        compute="_compute_credit_can_decide",
        help="Whether you may approve this request: not your own request (four-eyes principle), "
        "nor a second step of one approval chain, and within your rights.",
    )

    @api.depends_context("uid")
    @api.depends(lambda self: self._credit_decision_depends)
    def _compute_credit_can_decide(self):
        for record in self:
            record.credit_can_decide = not record._origin.id or not record._origin._credit_decision_error()

    def _credit_workflow_initial_values(self):
        """The value each workflow field starts with: its own default (the
        model's code), never a context key or an ``ir.default``."""
        return {name: self._credit_workflow_initial_value(self._fields[name]) for name in self._credit_workflow_fields}

    def _credit_workflow_initial_value(self, field):
        value = field.default(self) if field.default else False
        return field.convert_to_write(field.convert_to_cache(value, self), self)

    def _credit_workflow_forged_fields(self):
        """Workflow fields of these records that differ from their initial value."""
        initial = self._credit_workflow_initial_values()
        forged = set()
        for record in self:
            for name, value in initial.items():
                field = self._fields[name]
                if field.convert_to_write(record[name], record) != value:
                    forged.add(name)
        return forged

    def _credit_workflow_forgery_error(self, field_names):
        labels = ", ".join(sorted(self._fields[name]._description_string(self.env) for name in field_names))
        return AccessError(
            self.env._(
                "%(document)s: %(fields)s can only be set by the document's own buttons.",
                document=self._description,
                fields=labels,
            )
        )

    def _credit_workflow_client_env(self):
        """These records without the context keys a client may not use."""
        context = self.env.context
        if any(context.get(key) for key in self._credit_workflow_bypass_keys):
            return self.with_context(**dict.fromkeys(self._credit_workflow_bypass_keys, False))
        return self

    @api.model
    def default_get(self, fields_list):
        # A workflow field left out of what the workflow itself creates starts
        # from the model's own default (or its computation), never from a
        # ``default_<field>`` key or the user's personal ``ir.default``: the
        # workflow creates as its user (or as superuser, which keeps his
        # personal defaults), whose defaults would otherwise fill them.
        defaults = super().default_get(fields_list)
        for name in self._credit_workflow_fields.intersection(fields_list):
            field = self._fields[name]
            if field.default:
                defaults[name] = self._credit_workflow_initial_value(field)
            else:
                defaults.pop(name, None)
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        if is_credit_trusted(self.env):
            return super().create(vals_list)
        self = self._credit_workflow_client_env()
        initial = self._credit_workflow_initial_values()
        given = {name for vals in vals_list for name in self._credit_workflow_fields & vals.keys()
                 if self._fields[name].convert_to_write(
                     self._fields[name].convert_to_cache(vals[name], self), self) != initial[name]}
        if given:
            raise self._credit_workflow_forgery_error(given)
        # Explicit initial values leave no room for context or personal defaults.
        records = super().create([{**vals, **initial} for vals in vals_list])
        forged = records._credit_workflow_forged_fields()
        if forged:
            raise records._credit_workflow_forgery_error(forged)
        return records

    def write(self, vals):
        if is_credit_trusted(self.env):
            return super().write(vals)
        forged = self._credit_workflow_fields & vals.keys()
        if forged:
            raise self._credit_workflow_forgery_error(forged)
        return super(CreditPolicyWorkflowMixin, self._credit_workflow_client_env()).write(vals)

    # ------------------------------------------------------------------
    # Separation of duties (policy.four_eyes_violation)
    # ------------------------------------------------------------------
    def _credit_requesters(self):
        """Users who asked for or proposed this request: they never decide it."""
        return self.env["res.users"]

    def _credit_earlier_deciders(self):
        """Users who already approved a step of this request's approval chain."""
        return self.env["res.users"]

    def _credit_four_eyes_error(self):
        """The AccessError refusing the current user's approval of this request
        when it breaks the four-eyes principle (POLICY.md: nobody decides his
        own request), or None."""
        self.ensure_one()
        record = self.sudo()
        violation = policy.four_eyes_violation(
            self.env.uid,
            set(record._credit_requesters().ids),
            set(record._credit_earlier_deciders().ids),
            enforced=record.company_id.credit_four_eyes,
        )
        if violation == "own_request":
            return AccessError(
                self.env._(
                    "%(document)s: nobody decides his own request; another person must decide it.",
                    document=record.display_name,
                )
            )
        if violation == "second_step":
            return AccessError(
                self.env._(
                    "%(document)s: you already approved a step of this approval chain; "
                    "another person must approve the next one.",
                    document=record.display_name,
                )
            )
        return None

    def _credit_raise_errors(self, error_of):
        """Raise the first refusal ``error_of(record)`` returns for these
        records: the server side of the ``_credit_*_error`` helpers, whose
        answer the forms' ``credit_*`` flags show too."""
        for record in self:
            error = error_of(record)
            if error:
                raise error

    def _credit_raise_if_four_eyes_broken(self):
        """Refuse the current user's approval of these requests when it breaks
        the four-eyes principle (see :meth:`_credit_four_eyes_error`)."""
        self._credit_raise_errors(lambda record: record._credit_four_eyes_error())

    # ------------------------------------------------------------------
    # What the current user's buttons may do (views)
    # ------------------------------------------------------------------
    # The forms hide a button from a user whose click the server refuses.
    # Each ``credit_can_*`` field below calls the very helper the server
    # check raises from, so that the view and the server cannot drift apart.

    def _credit_decision_error(self):
        """The exception refusing the current user's approval (the grant) of
        this request, or None: by default the four-eyes principle. Models add
        their own rules (who decides, thresholds)."""
        return self._credit_four_eyes_error()
