{
    "name": "Credit Policy for Kits",
    "summary": "Deliveries of kits are checked by the kits they ship, not by their components",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "Credit Policy Authors",
    "website": "https://github.com/credit-policy/credit_policy",
    "depends": ["credit_policy", "sale_mrp"],
    "auto_install": True,
    "installable": True,
}
