"""Dunning actions store their company's currency (the currency of their
amounts, given with the row when a run proposes them): existing actions get
it before the column becomes required."""


def migrate(cr, version):
    cr.execute("ALTER TABLE credit_policy_dunning_line ADD COLUMN IF NOT EXISTS currency_id int4")
    cr.execute(
        """
        UPDATE credit_policy_dunning_line line
           SET currency_id = company.currency_id
          FROM res_company company
         WHERE company.id = line.company_id AND line.currency_id IS NULL
        """
    )
