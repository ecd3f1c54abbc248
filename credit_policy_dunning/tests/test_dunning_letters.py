from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningLetters(DunningCommon):
    """Each letter, rendered in the customer's language, holds the overdue
    invoices, their residuals, the total, the bank account and the stage's
    consequence, with the letterhead in the body."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.bank = cls.env["res.partner.bank"].create(
            {"partner_id": cls.company.partner_id.id, "acc_number": "CN-6222-0000-1111", "company_id": cls.company.id}
        )

    def _letter_html(self, days, lang):
        self.customer.lang = lang
        first = self._overdue_invoice(self.customer, 1234.5, days)
        second = self._overdue_invoice(self.customer, 300.0, 2)
        line = self._line(self._prepare())
        report = line.stage_id.report_id
        html = self.env["ir.actions.report"]._render_qweb_html(report, line.ids)[0].decode()
        return line, html, first, second

    def _assert_letter(self, days, sequence, kind):
        for lang in ("en_US", "zh_CN"):
            with self.subTest(stage=sequence, lang=lang):
                line, html, first, second = self._letter_html(days, lang)
                self.assertEqual(line.stage_id.sequence, sequence)
                self.assertIn(f'data-letter="{kind}"', html)
                self.assertIn("o_dunning_letterhead", html)
                self.assertIn(self.company.name, html)
                for invoice in (first, second):
                    self.assertIn(invoice.name, html)
                self.assertIn("1,234.50", html)
                self.assertIn("300.00", html)
                self.assertIn("1,534.50", html, "the total")
                self.assertIn("CN-6222-0000-1111", html, "payment instructions")
                # The consequence in the letter's language (Chinese once the
                # addon's zh_CN terms are loaded, as the demo does).
                self.assertIn(line.stage_id.with_context(lang=lang).consequence, html)
                due = first.invoice_date_due
                if lang == "zh_CN":
                    self.assertIn(f"{due.year}年{due.month:02d}月{due.day:02d}日", html, "dates in Chinese")
                else:
                    self.assertIn(due.strftime("%m/%d/%Y"), html)
                # Start from scratch for the next language.
                (first | second).button_draft()
                (first | second).button_cancel()
                line.run_id.sudo().unlink()

    def test_first_collection_letter(self):
        self._assert_letter(20, 2, "collection")

    def test_second_collection_letter(self):
        self._assert_letter(40, 3, "collection")

    def test_third_letter_shipping_will_stop(self):
        self._assert_letter(50, 4, "final")

    def test_lawyers_letter(self):
        self._assert_letter(70, 5, "lawyer")
        __, html, __, __ = self._letter_html(70, "en_US")
        self.assertIn("our legal counsel", html, "the seller's letter, on its letterhead")
        self.assertNotIn("our client", html, "no law firm speaks in it")

    def test_termination_notice(self):
        self._assert_letter(95, 6, "termination")
        __, html, __, __ = self._letter_html(95, "en_US")
        self.assertIn("Notice of Termination", html)
        self.assertIn("terminate our business relationship", html)

    def test_a_chinese_customers_letter_is_named_in_chinese(self):
        """The letter's file name is what the customer sees attached to the
        email: in his language, whoever runs dunning."""
        self.customer.lang = "zh_CN"
        self.controller.lang = "en_US"
        self._overdue_invoice(self.customer, 500.0, 20)
        letter = self._line(self._run()).letter_attachment_id
        self.assertTrue(letter.name.startswith(f"催收函 {self.customer.name}"), letter.name)

    def test_invoices_in_another_currency_are_claimed_in_it(self):
        company_currency = self.company.currency_id
        foreign, other = self._foreign_overdue_invoice(1000.0, 20)
        self.assertEqual(self._receivable_line(foreign).amount_residual, 2000.0, "at the rate of 0.5")
        self._overdue_invoice(self.customer, 300.0, 25)
        line = self._line(self._prepare())
        self.assertEqual(line.amount_total, 2300.0, "the run's figures stay in company currency")
        rows = {row["number"]: (row["residual"], row["currency"]) for row in line._letter_rows()}
        self.assertEqual(rows[foreign.name], (1000.0, other))
        self.assertEqual(line._letter_totals(), [(company_currency, 300.0), (other, 1000.0)])
        html = self.env["ir.actions.report"]._render_qweb_html(line.stage_id.report_id, line.ids)[0].decode()
        self.assertIn("1,000.00", html)
        self.assertNotIn("2,000.00", html)
        self.assertNotIn("2,300.00", html)
        # The email the letter is attached to claims the same.
        claimed = f"{company_currency.format(300.0)} + {other.format(1000.0)}"
        self.assertEqual(line.letter_totals_display, claimed)
        template = self.env.ref("credit_policy_dunning.mail_template_dunning_letter")
        body = template._render_field("body_html", line.ids)[line.id]
        self.assertIn(other.format(1000.0), body)
