"""Seeded data kept by ``noupdate`` gets this version's new policy values,
unless an administrator set them already:

* grades got a maximum of actual payment days (seed 000: D-grade customers
  never exceed 60): the D grade of the four-level table gets 60 days;
* grades got prerequisites (seed 002: grade A needs a year of cooperation, no
  bad debt in two years, and the evaluator's confirmation of conduct,
  operation and capital): the A grade of the three-level table gets them;
* red flag types say whether they record a bad debt: the seeded bad-debt type
  does.
"""


def _seeded(name):
    return f"(SELECT res_id FROM ir_model_data WHERE module = 'credit_policy' AND name = '{name}')"


def migrate(cr, version):
    cr.execute(
        f"""
        UPDATE credit_policy_grade
           SET max_payment_days = 60
         WHERE id = {_seeded('credit_policy_grade_four_d')}
           AND COALESCE(max_payment_days, 0) = 0
        """
    )
    cr.execute(
        f"""
        UPDATE credit_policy_grade
           SET min_cooperation_months = 12, bad_debt_free_years = 2, conduct_confirmation_required = TRUE
         WHERE id = {_seeded('credit_policy_grade_three_a')}
           AND COALESCE(min_cooperation_months, 0) = 0
           AND COALESCE(bad_debt_free_years, 0) = 0
           AND conduct_confirmation_required IS NOT TRUE
        """
    )
    cr.execute(
        f"""
        UPDATE credit_policy_red_flag_type
           SET bad_debt = TRUE
         WHERE id = {_seeded('credit_policy_red_flag_type_bad_debt')}
           AND bad_debt IS NOT TRUE
        """
    )
