"""The General Manager's thresholds became company settings (General Manager
Approves Limits Above / Temporary Limits Above): the seeded approval tiers,
kept by ``noupdate``, read them through ``needs_general_manager``. A tier
whose domain an administrator edited since is left as it is."""

GENERAL_MANAGER_TIERS = {
    "tier_definition_evaluation_general_manager": (
        "['|', ('proposed_limit', '>', 200000), ('needs_general_manager', '=', True)]"
    ),
    "tier_definition_temporary_limit_general_manager": "[('cumulative_amount', '>', 50000)]",
}


def migrate(cr, version):
    for name, old_domain in GENERAL_MANAGER_TIERS.items():
        cr.execute(
            """
            UPDATE tier_definition
               SET definition_domain = %s
             WHERE id = (SELECT res_id FROM ir_model_data WHERE module = 'credit_policy' AND name = %s)
               AND definition_domain = %s
            """,
            ["[('needs_general_manager', '=', True)]", name, old_domain],
        )
