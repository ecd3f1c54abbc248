from . import credit_policy_grade
from . import credit_policy_grade_table
from . import res_company
from . import res_config_settings
from . import res_partner
