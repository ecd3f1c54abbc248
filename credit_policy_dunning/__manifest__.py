{
    "name": "Credit Policy Dunning",
    "summary": "Dunning ladder by days overdue, scheduled runs, finance wizard "
    "and collection letters",
    "version": "18.0.1.2.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Credit Policy Authors",
    "website": "https://github.com/credit-policy/credit_policy",
    "depends": ["credit_policy"],
    "data": [
        "security/ir.model.access.csv",
        "security/credit_policy_dunning_rules.xml",
        "report/ir_actions_report.xml",
        "report/credit_policy_dunning_letter_templates.xml",
        "data/mail_template_data.xml",
        "data/credit_policy_dunning_ladder_data.xml",
        "data/ir_cron_data.xml",
        "wizards/credit_policy_dunning_wizard_views.xml",
        "views/credit_policy_dunning_ladder_views.xml",
        "views/credit_policy_dunning_line_views.xml",
        "views/credit_policy_dunning_run_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/credit_policy_grade_table_views.xml",
        "views/credit_policy_dunning_menus.xml",
    ],
    "demo": [
        "demo/credit_policy_dunning_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "credit_policy_dunning/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
