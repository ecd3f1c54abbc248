from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.credit_policy.tests.common import CreditExposureCommon, RpcMixin, create_branch

NO_CONTACT = "no_contact"


class CommunicationCommon:
    """Customers of the company with a credit file, what they owe and when
    we were last in contact with them."""

    def _customer(self, name, company=None):
        return self.env["res.partner"].create({"name": name, "is_company": True})

    def _file(self, partner, company=None, contacts=()):
        """``partner``'s credit file in ``company`` with contacts recorded on
        the days ``contacts``."""
        return self.env["credit.policy.archive.file"].with_company(company or self.company).create(
            {
                "partner_id": partner.id,
                "company_id": (company or self.company).id,
                "visit_ids": [Command.create({"date": day, "kind": "call", "summary": "Called"}) for day in contacts],
            }
        )

    def _open_invoice(self, partner, company=None):
        company = company or self.company
        invoice = self.env["account.move"].with_company(company).create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "company_id": company.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create({"name": "Widget", "quantity": 1, "price_unit": 100.0, "tax_ids": [Command.clear()]})
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _kinds(self, partner, company=None, active=True):
        signals = self.env["credit.policy.crisis.signal"].with_context(active_test=False).search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", (company or self.company).id),
                ("active", "=", active),
            ]
        )
        return sorted(signals.mapped("kind"))

    def _level(self, partner, company=None):
        Level = self.env["credit.policy.crisis.level"].sudo()
        level = Level.search(Level._credit_level_domain(partner, company or self.company))
        return int(level.level or 0)


@tagged("post_install", "-at_install")
class TestArchiveCommunicationBreakingOff(CommunicationCommon, CreditExposureCommon):
    """POLICY.md §3 (seed 004): "anomalies to watch monthly: ... communication
    breaking off". The monthly scan raises a crisis signal for a customer who
    owes us money or has open orders and with whom no contact or visit was
    recorded in the credit file for more than the company's days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "UTC"
        cls.today = fields.Date.today()

    def _days_ago(self, days):
        return self.today - timedelta(days=days)

    def _scan(self, company=None, today=None):
        return self.env["credit.policy.crisis.signal"]._scan(company or self.company, today or self.today)

    def test_default_is_a_setting_of_sixty_days(self):
        self.assertEqual(self.company.credit_crisis_no_contact_days, 60)
        settings = self.env["credit.policy.settings"].create({})
        self.assertIn("credit_crisis_no_contact_days", settings._credit_settings_field_names())
        settings.write({"credit_crisis_no_contact_days": 45})
        self.assertEqual(self.company.credit_crisis_no_contact_days, 45)
        with self.assertRaises(ValidationError):
            self.company.credit_crisis_no_contact_days = -1

    def test_owing_customer_without_contact_for_more_than_the_days(self):
        silent = self._customer("Silent Debtor")
        self._file(silent, contacts=[self._days_ago(90), self._days_ago(61)])
        self._open_invoice(silent)
        at_limit = self._customer("Called Sixty Days Ago")
        self._file(at_limit, contacts=[self._days_ago(60)])
        self._open_invoice(at_limit)
        ordering = self._customer("Silent With an Open Order")
        self._file(ordering, contacts=[self._days_ago(100)])
        self._order(ordering, 2, days=5)
        settled = self._customer("Silent but Owing Nothing")
        self._file(settled, contacts=[self._days_ago(100)])
        paid = self._open_invoice(settled)
        self._pay(paid, 100.0)
        unfiled = self._customer("No Credit File")
        self._open_invoice(unfiled)

        self._scan()
        self.assertEqual(self._kinds(silent), [NO_CONTACT])
        self.assertEqual(self._kinds(at_limit), [], "60 days ago is not more than 60 days")
        self.assertEqual(self._kinds(ordering), [NO_CONTACT], "an open order is open exposure too")
        self.assertEqual(self._kinds(settled), [], "nothing owed, nothing ordered: no signal")
        self.assertEqual(self._kinds(unfiled), [], "only customers with a credit file are watched")
        signal = self.env["credit.policy.crisis.signal"].search([("partner_id", "=", silent.id)])
        self.assertRecordValues(signal, [{"source": "scan", "user_id": False, "date": self.today}])
        self.assertIn("60", signal.description)
        self.assertNotIn("Called", signal.description, "the signal tells nothing the confidential file holds")
        self.assertEqual(self._level(silent), 1, "one signal restricts shipping")

    def test_file_without_any_contact_counts_from_its_opening(self):
        new, old = self._customer("Newly Filed"), self._customer("Filed Long Ago")
        self._file(new)
        old_file = self._file(old)
        for partner in (new, old):
            self._open_invoice(partner)
        self.env.cr.execute(
            "UPDATE credit_policy_archive_file SET create_date = %s WHERE id = %s",
            (datetime.combine(self._days_ago(61), datetime.min.time()), old_file.id),
        )
        self.env.invalidate_all()
        self._scan()
        self.assertEqual(self._kinds(new), [])
        self.assertEqual(self._kinds(old), [NO_CONTACT])

    def test_idempotent_and_cleared_when_contact_resumes(self):
        silent = self._customer("Silent Debtor")
        file = self._file(silent, contacts=[self._days_ago(75)])
        self._open_invoice(silent)
        self._scan()
        self._scan()
        signals = self.env["credit.policy.crisis.signal"].search([("partner_id", "=", silent.id)])
        self.assertEqual(len(signals), 1, "one signal of the kind, however often the scan runs")
        self.assertEqual(self._level(silent), 1)
        # The salesperson visits the customer: the next scan clears the signal.
        file.write({"visit_ids": [Command.create({"date": self.today, "summary": "Visited the plant"})]})
        created, cleared = self._scan()
        self.assertEqual(cleared, signals)
        self.assertFalse(created)
        self.assertEqual(self._kinds(silent), [])
        self.assertEqual(self._kinds(silent, active=False), [NO_CONTACT])
        self.assertEqual(self._level(silent), 0, "the level follows the signal down")
        # Silent again much later: a new signal, the cleared one stays in the history.
        self._scan(today=self.today + timedelta(days=61))
        self.assertEqual(self._kinds(silent), [NO_CONTACT])
        self.assertEqual(self._kinds(silent, active=False), [NO_CONTACT])

    def test_days_are_the_companys_setting(self):
        silent = self._customer("Silent Debtor")
        self._file(silent, contacts=[self._days_ago(61)])
        self._open_invoice(silent)
        self.company.credit_crisis_no_contact_days = 90
        self._scan()
        self.assertEqual(self._kinds(silent), [])
        self.company.credit_crisis_no_contact_days = 30
        self._scan()
        self.assertEqual(self._kinds(silent), [NO_CONTACT])
        self.company.credit_crisis_no_contact_days = 0
        self._scan()
        self.assertEqual(self._kinds(silent), [], "0 disables the signal, and clears those raised")

    def test_contact_and_exposure_of_the_credit_control_area_only(self):
        other = self.setup_other_company(name="Contact Scan Other Co")["company"]
        self.env.user.company_ids |= other
        silent = self._customer("Silent Here, Visited There")
        self._file(silent, contacts=[self._days_ago(80)])
        self._file(silent, company=other, contacts=[self._days_ago(1)])
        self._open_invoice(silent)
        owing_elsewhere = self._customer("Owes the Other Company Only")
        self._file(owing_elsewhere, contacts=[self._days_ago(80)])
        self._file(owing_elsewhere, company=other, contacts=[self._days_ago(80)])
        self._order(owing_elsewhere, 1)  # here an open order: exposure here only

        self._scan()
        self._scan(company=other)
        self.assertEqual(self._kinds(silent), [NO_CONTACT], "a visit recorded by another company does not count")
        self.assertEqual(self._kinds(silent, company=other), [], "it owes the other company nothing")
        self.assertEqual(self._kinds(owing_elsewhere), [NO_CONTACT])
        self.assertEqual(self._kinds(owing_elsewhere, company=other), [])
        self.assertEqual(self._level(silent, company=other), 0)
        # Each company's own setting.
        other.credit_crisis_no_contact_days = 5
        self._open_invoice(silent, company=other)
        self._scan(company=other)
        self.assertEqual(self._kinds(silent, company=other), [], "visited there yesterday")

    def test_contact_recorded_by_a_branch_counts_for_its_root(self):
        branch = create_branch(self.env, self.company, "Contact Scan Branch")
        silent = self._customer("Visited by the Branch")
        self._file(silent, contacts=[self._days_ago(80)])
        branch_file = self._file(silent, company=branch, contacts=[self._days_ago(70)])
        self._open_invoice(silent, company=branch)
        self._scan(company=branch)  # a branch's scan is its root's
        self.assertEqual(self._kinds(silent), [NO_CONTACT], "the branch's receivable is the root's exposure")
        self.assertEqual(self._kinds(silent, company=branch), [], "a branch has no credit control area of its own")
        branch_file.write({"visit_ids": [Command.create({"date": self._days_ago(3), "summary": "Branch visit"})]})
        self._scan()
        self.assertEqual(self._kinds(silent), [], "the branch's contact is the credit control area's")

    def test_scheduled_scan_counts_days_in_the_company_calendar(self):
        self.company.partner_id.tz = "Asia/Shanghai"
        silent = self._customer("Shanghai Debtor")
        # 1 August 2026 in Shanghai is 61 days after 1 June; in UTC it is still 31 July, 60 days after.
        self._file(silent, contacts=[date(2026, 6, 1)])
        self._open_invoice(silent)
        scheduler = self.env["credit.policy.crisis.signal"].with_user(self.env.ref("base.user_root")).with_context(
            tz=None
        )
        with freeze_time(datetime(2026, 7, 31, 17)):  # 1 August, 01:00 in Shanghai
            scheduler._cron_scan()
        self.assertEqual(self._kinds(silent), [NO_CONTACT])

    def test_nobody_records_it_by_hand(self):
        salesman = new_test_user(self.env, "cpa_comm_sales", groups="sales_team.group_sale_salesman_all_leads")
        controller = new_test_user(
            self.env, "cpa_comm_ctrl", groups="sales_team.group_sale_salesman_all_leads,"
            "credit_policy.group_credit_policy_controller",
        )
        customer = self._customer("Heard Nothing")
        customer.user_id = salesman
        Signal = self.env["credit.policy.crisis.signal"]
        for user in (salesman, controller):
            with self.subTest(user=user.login), self.assertRaises(ValidationError):
                Signal.with_user(user).create(
                    {"partner_id": customer.id, "kind": NO_CONTACT, "description": "Not answering"}
                )
        recorded = Signal.with_user(controller).create(
            {"partner_id": customer.id, "kind": "other", "description": "Not answering"}
        )
        with self.assertRaises(AccessError):
            recorded.with_user(controller).write({"kind": NO_CONTACT})


@tagged("post_install", "-at_install")
class TestArchiveCommunicationBreakingOffRpc(CommunicationCommon, RpcMixin, CreditExposureCommon, HttpCase):
    """Over JSON-RPC, with the defaults a client can send, nobody raises the
    scan's signal by hand."""

    def test_rpc_salesperson_cannot_forge_the_signal(self):
        salesman = new_test_user(self.env, "cpa_comm_rpc", groups="sales_team.group_sale_salesman_all_leads")
        customer = self._customer("Heard Nothing")
        customer.user_id = salesman
        for vals, context in (
            ({"kind": NO_CONTACT}, {}),
            ({"kind": NO_CONTACT}, {"default_source": "scan"}),
            ({}, {"default_kind": NO_CONTACT, "default_source": "scan"}),
        ):
            with self.subTest(vals=vals, context=context), self.assertRaises(JsonRpcException) as caught, mute_logger(
                "odoo.http"
            ):
                self._call(
                    salesman,
                    "credit.policy.crisis.signal",
                    "create",
                    [{"partner_id": customer.id, "description": "Not answering", **vals}],
                    {"context": context},
                )
            # a known kind, refused as the scan's: not an unknown value
            self.assertEqual(str(caught.exception), "odoo.exceptions.ValidationError")
        self.assertEqual(self._kinds(customer), [])
        self.assertEqual(self._level(customer), 0)
