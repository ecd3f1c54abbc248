"""Small ORM helpers shared by the credit addons."""

from markupsafe import Markup

from odoo import fields

#: The subtype of the credit change trail's entries (kept as posted: models/mail_message.py).
TRAIL_SUBTYPE = "credit_policy.mt_credit_change_trail"


def env_in_language(records, user):
    """The environment of ``records`` speaking ``user``'s language (else the
    current one): what is written for a user (an activity, a notice) reads in
    his language, not in the language of whoever triggered it."""
    return records.with_context(lang=user.lang or records.env.lang).env


def user_date(records, user, timestamp=None):
    """The date in ``user``'s calendar (his time zone, UTC without one), today
    or at UTC ``timestamp``: the day a grant, a deadline or an activity meant
    for him falls on, whoever runs the code (a scheduled action runs as
    OdooBot, in OdooBot's time zone). No calendar is more than a day ahead of
    UTC's."""
    return fields.Date.context_today(records.with_context(tz=user.tz or "UTC"), timestamp)


def company_tz(records, company):
    """The name of ``company``'s time zone: that of its address, else the
    current user's, else UTC. What a company's day and month are, in Python
    (:func:`company_date`) and in SQL (``AT TIME ZONE``)."""
    return company.sudo().partner_id.tz or records.env.user.tz or "UTC"


def company_date(records, company):
    """The date in ``company``'s calendar (the time zone of its address, else
    the current user's): the day a company-wide scheduled job such as a
    dunning run works for, whatever the scheduler's (UTC) calendar says."""
    return fields.Date.context_today(records.with_context(tz=company_tz(records, company)))


def audited_values(records, names):
    """``{record: {field: value}}`` of the fields ``names`` of ``records``,
    before a change (:func:`post_changes` compares them afterwards)."""
    return {record: {name: record[name] for name in names} for record in records} if names else {}


def changed_fields(record, old_values):
    """The fields of ``old_values`` (:func:`audited_values`) whose value on
    ``record`` is no longer the same."""
    return [name for name, value in old_values.items() if value != record[name]]


def display_value(record, name, value):
    """``value`` of field ``name`` of ``record``, as a change trail shows it:
    Yes/No, a selection's label, the names of related records, empty for no value."""
    field = record._fields[name]
    if field.type == "boolean":
        return record.env._("Yes") if value else record.env._("No")
    if field.type == "selection":
        return dict(field._description_selection(record.env)).get(value, value or "")
    if field.relational:
        return ", ".join(value.mapped("display_name"))
    if value is False and field.type not in ("integer", "float", "monetary"):
        return ""
    return field.convert_to_display_name(value, record) or ""


def post_changes(thread, record, title, old_values):
    """Post on ``thread`` (a mail.thread record) the fields of ``record`` that
    changed from ``old_values`` (:func:`audited_values`), each with its old
    and new value, under ``title``: the change trail of what decides credit
    (grades, dunning ladders), which no context key of the caller turns off."""
    changes = [
        Markup("<li>%s: %s → %s</li>") % (
            record._fields[name]._description_string(record.env),
            display_value(record, name, old_values[name]),
            display_value(record, name, record[name]),
        )
        for name in changed_fields(record, old_values)
    ]
    if changes:
        post_trail(thread, Markup("%s<ul>%s</ul>") % (title, Markup("").join(changes)))


def post_trail(thread, body):
    """Post ``body`` on ``thread`` as an entry of the credit change trail (its
    own subtype: kept as posted, see models/mail_message.py). The one door to
    the trail: nobody posts an entry by hand."""
    from .models.credit_policy_workflow_mixin import credit_trusted

    credit_trusted(thread).message_post(body=body, subtype_xmlid=TRAIL_SUBTYPE)
