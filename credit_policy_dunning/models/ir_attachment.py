from odoo import models
from odoo.exceptions import AccessError
from odoo.tools import SQL

#: What may still change on a letter sent: the token of a share link.
LETTER_FREE_FIELDS = frozenset({"access_token"})


class IrAttachment(models.Model):
    """The letters of the dunning actions and the merged letters of a run are
    what the customers received: part of their dunning history (and the
    evidence of a lawyer's letter), they are neither rewritten, moved nor
    deleted, not even by the Credit Controllers who may edit the actions."""

    _inherit = "ir.attachment"

    def _dunning_letters(self):
        """Those of these attachments that are the letter of a dunning action
        or the letters to print of a dunning run (read in SQL: nothing of the
        attachments is cached as superuser for the caller)."""
        if not self.ids:
            return self.browse()
        self.env["credit.policy.dunning.line"].flush_model(["letter_attachment_id"])
        self.env["credit.policy.dunning.run"].flush_model(["print_attachment_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT line.letter_attachment_id FROM credit_policy_dunning_line line
                 WHERE line.letter_attachment_id IN %(ids)s
                 UNION
                SELECT run.print_attachment_id FROM credit_policy_dunning_run run
                 WHERE run.print_attachment_id IN %(ids)s
                """,
                ids=tuple(self.ids),
            )
        )
        return self.browse([attachment_id for (attachment_id,) in rows])

    def _dunning_check_letters_kept(self):
        if not self.env.su and self._dunning_letters():
            raise AccessError(
                self.env._(
                    "A dunning letter is part of the customer's dunning history: it cannot be changed or deleted."
                )
            )

    def write(self, vals):
        if set(vals) - LETTER_FREE_FIELDS:
            self._dunning_check_letters_kept()
        return super().write(vals)

    def unlink(self):
        self._dunning_check_letters_kept()
        return super().unlink()
