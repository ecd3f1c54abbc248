{
    "name": "Credit Policy",
    "summary": "Grade customers, grant credit limits and terms, check orders "
    "and block deliveries that break the credit policy",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "Credit Policy Authors",
    "website": "https://github.com/credit-policy/credit_policy",
    "depends": ["sale_stock", "account", "base_tier_validation"],
    "data": [
        "security/credit_policy_groups.xml",
        "security/ir.model.access.csv",
        "security/credit_policy_rules.xml",
        "data/credit_policy_status_data.xml",
        "data/credit_policy_temporary_limit_data.xml",
        "wizards/credit_policy_order_check_wizard_views.xml",
        "views/credit_policy_status_views.xml",
        "views/credit_policy_temporary_limit_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "wizards/credit_policy_delivery_block_wizard_views.xml",
        "wizards/credit_policy_release_wizard_views.xml",
        "views/credit_policy_release_views.xml",
        "views/stock_picking_views.xml",
        "views/sale_order_views.xml",
        "views/credit_policy_menus.xml",
    ],
    "demo": [
        "demo/credit_policy_delivery_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "credit_policy/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": True,
}
