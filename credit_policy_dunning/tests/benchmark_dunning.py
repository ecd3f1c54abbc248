"""Benchmark of the dunning selection (issue 10: 10,000 overdue lines over
1,000 customers, selection and stage decision in at most 1.5 s, queries
growing with batches, not lines). Not a test: run it in an Odoo shell on a
test database, where it rolls everything back:

    odoo-bin shell -c <conf> -d <db> --log-level=warn < credit_policy_dunning/tests/benchmark_dunning.py
"""
import time
from datetime import timedelta

from odoo import Command, fields
from odoo.sql_db import sql_counter  # noqa: F401 - read through the module below

import odoo.sql_db

CUSTOMERS, LINES = 1000, 10
env = env(su=True)  # noqa: F821 - given by odoo-bin shell
company = env.ref("base.main_company")
env = env(context={"allowed_company_ids": [company.id], "tracking_disable": True, "credit_policy_reason": "benchmark"})
today = fields.Date.context_today(env.user)
journal = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "general")], limit=1)
receivable = env["account.account"].search(
    [("company_ids", "in", company.id), ("account_type", "=", "asset_receivable")], limit=1
)
income = env["account.account"].search([("company_ids", "in", company.id), ("account_type", "=", "income")], limit=1)
started = time.time()
partners = env["res.partner"].create([{"name": f"Benchmark Debtor {i}", "is_company": True} for i in range(CUSTOMERS)])
moves = env["account.move"].create(
    [
        {
            "move_type": "entry",
            "journal_id": journal.id,
            "date": today - timedelta(days=100),
            "line_ids": [
                Command.create(
                    {
                        "account_id": receivable.id,
                        "partner_id": partner.id,
                        "debit": 100.0 + n,
                        "date_maturity": today - timedelta(days=5 + (i * 7 + n * 11) % 120),
                    }
                )
                for n in range(LINES)
            ]
            + [Command.create({"account_id": income.id, "credit": sum(100.0 + n for n in range(LINES))})],
        }
        for i, partner in enumerate(partners)
    ]
)
moves.action_post()
env.flush_all()
print(f"data: {CUSTOMERS} customers, {CUSTOMERS * LINES} overdue lines, built in {time.time() - started:.1f}s")

Run = env["credit.policy.dunning.run"]
queries_before = odoo.sql_db.sql_counter
started = time.time()
facts = env["credit.policy.dunning.engine"]._overdue_facts(company, today, partners)
selection = time.time() - started
run = Run._prepare(company, today, None, partners)
total = time.time() - started
print(
    f"selection: {selection:.2f}s; selection + stage decision + {len(run.line_ids)} proposed lines: "
    f"{total:.2f}s, {odoo.sql_db.sql_counter - queries_before} queries"
)
env.cr.rollback()
