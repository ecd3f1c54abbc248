from odoo import api, models

from .credit_policy_archive_confidential_mixin import RENDERING_KEY, archive_read_call, is_confidential_model


class MailRenderMixin(models.AbstractModel):
    """A template rendered on records of a credit file (a template's preview,
    the composer of the file's chatter), or reaching a file from the records
    it renders (a customer's files), returns the file's fields in its text: a
    read of the file, logged as reading the fields is."""

    _inherit = "mail.render.mixin"

    @api.model
    def _render_template(self, template_src, model, res_ids, engine="inline_template", add_context=None, options=None):
        # One read call: the confidential records the rendering fetches log
        # themselves (``_fetch_query``), once per call.
        renderer = self if self.env.su else archive_read_call(self, "template").with_context(**{RENDERING_KEY: True})
        rendered = super(MailRenderMixin, renderer)._render_template(
            template_src, model, res_ids, engine=engine, add_context=add_context, options=options
        )
        if template_src and is_confidential_model(self.env, model):
            # The records rendered, whether or not their fields were in the
            # cache already; once rendered with the user's rights, so that a
            # rendering refused logs nothing.
            renderer.env[model].browse(res_id for res_id in res_ids if res_id)._archive_log_read("template")
        return rendered
