"""Small ORM helpers shared by the credit addons."""

from odoo import fields


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
