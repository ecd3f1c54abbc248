{
    "name": "Credit Policy Archive",
    "summary": "Confidential customer credit file with access requests and a read log",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "Credit Policy Authors",
    "website": "https://github.com/credit-policy/credit_policy",
    "depends": ["credit_policy", "mail"],
    "data": [
        "views/credit_policy_archive_menus.xml",
    ],
    "installable": True,
}
