{
    "name": "Credit Policy Dunning",
    "summary": "Dunning ladder by days overdue, scheduled runs, finance wizard "
    "and collection letters",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Credit Policy Authors",
    "website": "https://github.com/credit-policy/credit_policy",
    "depends": ["credit_policy"],
    "data": [
        "views/credit_policy_dunning_menus.xml",
    ],
    "installable": True,
}
