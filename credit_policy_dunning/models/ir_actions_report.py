from odoo import api, models

# Marks the rendering of a collection letter; a Python object, so that no
# client can set it through the report route's context.
_LETTER_RENDERING = object()
_LETTER_RENDERING_KEY = "credit_policy_dunning_letter_rendering"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _run_wkhtmltopdf(self, bodies, report_ref=False, **kwargs):
        report = self._get_report(report_ref) if report_ref else self.browse()
        if report.model == "credit.policy.dunning.line":
            self = self.with_context(**{_LETTER_RENDERING_KEY: _LETTER_RENDERING})
        return super()._run_wkhtmltopdf(bodies, report_ref=report_ref, **kwargs)

    def _build_wkhtmltopdf_args(self, *args, **kwargs):
        """Letters are static HTML: skip the script delay (``report.print_delay``,
        one second by default) that every wkhtmltopdf call otherwise waits,
        which made a run of 100 letters take two minutes."""
        command_args = super()._build_wkhtmltopdf_args(*args, **kwargs)
        if self.env.context.get(_LETTER_RENDERING_KEY) is _LETTER_RENDERING and "--javascript-delay" in command_args:
            command_args[command_args.index("--javascript-delay") + 1] = "0"
        return command_args
