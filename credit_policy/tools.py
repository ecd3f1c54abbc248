"""Small ORM helpers shared by the credit addons."""


def env_in_language(records, user):
    """The environment of ``records`` speaking ``user``'s language (else the
    current one): what is written for a user (an activity, a notice) reads in
    his language, not in the language of whoever triggered it."""
    return records.with_context(lang=user.lang or records.env.lang).env
