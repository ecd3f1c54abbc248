from . import credit_policy_grade
from . import credit_policy_grade_table
from . import credit_policy_release
from . import res_company
from . import res_config_settings
from . import res_partner
from . import stock_move
from . import stock_picking
