"""Suite-wide pytest rules for the credit_policy repository."""
import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # A skipped test proves nothing (a tour without a browser is skipped by
    # Odoo): report it as a failure so that the suite cannot pass by skipping.
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped, which this suite counts as a failure: {report.longrepr}"
