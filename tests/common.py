"""Base classes for the repository-level tests (outside any addon package).

Odoo's test metaclass only tags classes living in ``odoo.addons.<module>``;
these set the tags and module themselves so that Odoo's test machinery
(tours, ``@users``, post-install checks) treats them as ``credit_policy`` tests.
"""
from odoo.tests import HttpCase, TransactionCase

from odoo.addons.credit_policy.tests.common import neutralise_total_credit_cap

PRODUCT_ADDONS = ("credit_policy", "credit_policy_dunning", "credit_policy_archive")
# glue addons, installed where the Odoo addons they join are (the suite has them)
GLUE_ADDONS = ("credit_policy_mrp",)


class ProductCase:
    """What the two base classes share: Odoo's tags and module, and no demo
    cap on total credit (see ``neutralise_total_credit_cap``)."""

    test_tags = {"standard", "post_install"}
    test_module = "credit_policy"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        neutralise_total_credit_cap(cls.env)


class ProductTransactionCase(ProductCase, TransactionCase):
    pass


class ProductHttpCase(ProductCase, HttpCase):
    pass
