"""Uninstalling and reinstalling the product leaves a working database.

Module (un)installation reloads the registry and commits, so it runs in an
Odoo shell on a scratch copy of the template database, never in the test
database the rest of the suite uses.
"""
import json
import os
import subprocess
import sys

import odoo
from odoo.tools import config

from .common import PRODUCT_ADDONS

ODOO_BIN = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")

REPORT_STATE = """
import json
modules = env["ir.module.module"].search([("name", "in", {addons!r})])
{action}
env.cr.commit()
env.cr.execute("select to_regclass('credit_policy_grade') is not null")
has_grade_table = env.cr.fetchone()[0]
print("RESULT " + json.dumps({{
    "states": sorted(set(modules.mapped("state"))),
    "grade_table": has_grade_table,
}}))
"""


def _odoo(db, *args, command=(), stdin=None):
    process = subprocess.run(
        [sys.executable, ODOO_BIN, *command, "-c", config.rcfile, "-d", db, "--log-level=warn", *args],
        input=stdin, capture_output=True, text=True, timeout=900,
    )
    assert process.returncode == 0, process.stderr[-3000:]
    return process


def _shell(db, action):
    out = _odoo(db, "--no-http", command=("shell",),
                stdin=REPORT_STATE.format(addons=list(PRODUCT_ADDONS), action=action)).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def test_uninstall_then_reinstall():
    template = os.environ.get("CREDIT_POLICY_TEMPLATE_DB")
    assert template, "run the suite through setup/test, which names the template database"
    scratch = f"{config['db_name']}_reinstall"
    subprocess.run(["dropdb", "--if-exists", scratch], check=True)
    subprocess.run(["createdb", "-T", template, scratch], check=True)
    try:
        _odoo(scratch, "-i", ",".join(PRODUCT_ADDONS), "--stop-after-init")
        installed = _shell(scratch, "")
        assert installed == {"states": ["installed"], "grade_table": True}

        uninstalled = _shell(scratch, "modules.button_immediate_uninstall()")
        assert uninstalled == {"states": ["uninstalled"], "grade_table": False}

        reinstalled = _shell(scratch, "modules.button_immediate_install()")
        assert reinstalled == {"states": ["installed"], "grade_table": True}
    finally:
        subprocess.run(["dropdb", "--if-exists", scratch], check=True)
