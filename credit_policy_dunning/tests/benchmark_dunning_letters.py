"""Benchmark of the dunning letters (issue 10: 100 letters as one merged PDF
in at most 60 s). Not a test: run it in an Odoo shell on a test database,
where it rolls everything back:

    odoo-bin shell -c <conf> -d <db> --log-level=warn \
        --log-handler=odoo.addons.base.models.ir_actions_report:ERROR \
        < credit_policy_dunning/tests/benchmark_dunning_letters.py

It builds 100 customers (half with Chinese names, for the CJK font) with
three overdue invoices each, prepares a dunning run and executes it: every
letter is rendered to PDF on its own by wkhtmltopdf, then the letters to print
are merged into one PDF, as a run does. wkhtmltopdf loads the report styles
over HTTP, so the script serves this database on a free local port for the
time of the run. Set BENCHMARK_PDF=/tmp/letters.pdf in the environment to keep
the merged PDF.
"""
import io
import os
import socket
import time
from datetime import timedelta

import odoo
from odoo import Command, fields
from odoo.tools.pdf import PdfFileReader

CUSTOMERS, INVOICES = 100, 3


def serve_http():
    """Serve the database over HTTP on a free port (wkhtmltopdf fetches the report assets)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    odoo.tools.config["http_interface"] = "127.0.0.1"
    odoo.tools.config["http_port"] = port
    odoo.service.server.ThreadedServer(odoo.http.root).http_spawn()
    return f"http://127.0.0.1:{port}"


env = env(su=True)  # noqa: F821 - given by odoo-bin shell
company = env.ref("base.main_company")
env = env(context={"allowed_company_ids": [company.id], "tracking_disable": True, "credit_policy_reason": "benchmark"})
env["ir.config_parameter"].set_param("report.url", serve_http())
today = fields.Date.context_today(env.user)
started = time.time()
partners = env["res.partner"].create(
    [
        {
            "name": f"华东贸易有限公司 {i}" if i % 2 else f"Benchmark Letter Debtor {i}",
            "is_company": True,
            "street": f"{i} Benchmark Road",
            "city": "Shanghai",
        }
        for i in range(CUSTOMERS)
    ]
)
invoices = env["account.move"].create(
    [
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": today - timedelta(days=20 + 7 * n + i % 5),
            "invoice_date_due": today - timedelta(days=20 + 7 * n + i % 5),
            "invoice_payment_term_id": False,
            "invoice_line_ids": [
                Command.create({"name": "Goods", "quantity": 1, "price_unit": 1000.0 + i + n, "tax_ids": [Command.clear()]})
            ],
        }
        for i, partner in enumerate(partners)
        for n in range(INVOICES)
    ]
)
invoices.action_post()
env.flush_all()
print(f"data: {CUSTOMERS} customers, {len(invoices)} overdue invoices, built in {time.time() - started:.1f}s")

# A run of the day awaiting review (demo data) would be resumed: leave it out.
env["credit.policy.dunning.run"].search([("company_id", "=", company.id), ("state", "=", "draft")]).unlink()
run = env["credit.policy.dunning.run"]._prepare(company, today, None, partners)
letters = run.line_ids.filtered(lambda line: line.stage_id.action != "phone")
print(f"run: {len(run.line_ids)} proposed actions, {len(letters)} letters ({', '.join(sorted(set(letters.stage_id.mapped('name'))))})")
started = time.time()
run._execute_lines()
rendered = time.time() - started
run._finish()
total = time.time() - started
merged = run.print_attachment_id
pages = len(PdfFileReader(io.BytesIO(merged.raw)).pages) if merged.mimetype == "application/pdf" else 0
print(
    f"letters: {len(run.line_ids.letter_attachment_id)} rendered one by one in {rendered:.1f}s; "
    f"merged into one {merged.mimetype} of {pages} pages, {len(merged.raw) / 1024:.0f} KiB; "
    f"total {total:.1f}s ({total / max(len(letters), 1):.2f}s per letter; target: 60s)"
)
if os.environ.get("BENCHMARK_PDF"):
    with open(os.environ["BENCHMARK_PDF"], "wb") as pdf:
        pdf.write(merged.raw)
    print(f"merged PDF written to {os.environ['BENCHMARK_PDF']}")
env.cr.rollback()
