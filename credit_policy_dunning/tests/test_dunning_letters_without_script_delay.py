import io

from odoo.tests import TransactionCase, tagged
from odoo.tools.pdf import PdfFileReader

# A page that grows a second page 300 ms after loading: printed on two pages
# when wkhtmltopdf waits for scripts, on one page when it does not.
PAGE_GROWN_BY_SCRIPT = """<!DOCTYPE html><html><head><meta charset="utf-8"/></head><body>
<p>first page</p>
<script>
setTimeout(function () {
    var page = document.createElement("p");
    page.style.pageBreakBefore = "always";
    page.textContent = "second page";
    document.body.appendChild(page);
}, 300);
</script>
</body></html>"""


@tagged("post_install", "-at_install")
class TestDunningLettersWithoutScriptDelay(TransactionCase):
    """A letter is static HTML: wkhtmltopdf renders it without the script
    delay every other report waits (one second per call by default), which is
    what makes a run of 100 letters fit in a minute."""

    def _pages(self, report):
        pdf = self.env["ir.actions.report"]._run_wkhtmltopdf([PAGE_GROWN_BY_SCRIPT], report_ref=report.report_name)
        return len(PdfFileReader(io.BytesIO(pdf)).pages)

    def test_other_reports_still_wait_for_scripts(self):
        self.assertEqual(self._pages(self.env.ref("account.account_invoices")), 2)

    def test_letters_render_without_waiting_for_scripts(self):
        for xmlid in (
            "credit_policy_dunning.action_report_dunning_letter",
            "credit_policy_dunning.action_report_dunning_final_letter",
            "credit_policy_dunning.action_report_dunning_lawyer_letter",
            "credit_policy_dunning.action_report_dunning_termination_letter",
        ):
            with self.subTest(report=xmlid):
                self.assertEqual(self._pages(self.env.ref(xmlid)), 1)

    def test_a_client_context_cannot_switch_off_the_delay(self):
        report = self.env.ref("account.account_invoices")
        self.env = self.env(context={"credit_policy_dunning_letter_rendering": True})
        self.assertEqual(self._pages(report), 2)
