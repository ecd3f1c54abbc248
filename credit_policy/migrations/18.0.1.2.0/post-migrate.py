"""Grades got a maximum of actual payment days (seed 000: D-grade customers
never exceed 60). The seeded D grade of the four-level table, kept by
``noupdate``, gets its 60 days unless an administrator set a cap already."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE credit_policy_grade
           SET max_payment_days = 60
         WHERE id = (SELECT res_id FROM ir_model_data
                      WHERE module = 'credit_policy' AND name = 'credit_policy_grade_four_d')
           AND COALESCE(max_payment_days, 0) = 0
        """
    )
