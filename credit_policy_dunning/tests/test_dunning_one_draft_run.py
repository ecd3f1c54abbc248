from contextlib import closing

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.credit_policy.models.credit_policy_workflow_mixin import credit_trusted
from odoo.addons.credit_policy.tools import company_date


@tagged("post_install", "-at_install")
class TestDunningOneDraftRun(TransactionCase):
    """One draft run per company, also when two preparations race in two
    real transactions: a transaction that started before another one
    prepared (and committed) the day's run cannot prepare a second one; it
    fails in a way Odoo retries on fresh data, which then finds that run."""

    def setUp(self):
        super().setUp()
        # A company with a ladder and no run under review (the demo's main company has one).
        drafts = self.env["credit.policy.dunning.run"].search([("state", "=", "draft")]).company_id
        companies = self.env["credit.policy.dunning.ladder"].search([]).company_id - drafts
        company = companies.sorted("id")[:1]
        self.assertTrue(company)
        self.company_id = company.id
        self.today = company_date(company, company)  # the day its scheduled run works for, not UTC's

    def _race(self, second_step):
        """The first transaction prepares and commits a draft run while the
        second, started before, runs ``second_step(env)``; the committed run
        is removed again afterwards."""
        with closing(self.registry.cursor()) as cr_first, closing(self.registry.cursor()) as cr_second:
            second = api.Environment(cr_second, SUPERUSER_ID, {})
            self.assertFalse(
                second["credit.policy.dunning.run"].search([("company_id", "=", self.company_id), ("state", "=", "draft")]),
                "no draft run to start with",
            )  # the second transaction's snapshot is taken here
            first = api.Environment(cr_first, SUPERUSER_ID, {})
            Run = first["credit.policy.dunning.run"]
            Run._lock_company(first["res.company"].browse(self.company_id))
            run = credit_trusted(Run.sudo()).create({"date": self.today, "company_id": self.company_id})
            cr_first.commit()
            try:
                second_step(second, run.id)
            finally:
                cr_second.rollback()
                run.unlink()
                cr_first.commit()

    def test_stale_preparation_fails_to_be_retried(self):
        def prepare(env, run_id):
            company = env["res.company"].browse(self.company_id)
            with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.SerializationFailure):
                env["credit.policy.dunning.run"]._prepare(company, self.today)
            # Odoo retries the request on a fresh snapshot: it resumes that run.
            env.cr.rollback()
            env.invalidate_all()
            self.assertEqual(env["credit.policy.dunning.run"]._prepare(company, self.today).id, run_id)

        self._race(prepare)

    def test_database_holds_one_draft_run_per_company(self):
        def create(env, run_id):
            with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation):
                credit_trusted(env["credit.policy.dunning.run"].sudo()).create(
                    {"date": self.today, "company_id": self.company_id}
                )
                env.flush_all()

        self._race(create)
