from . import credit_policy_archive_annual_review
from . import credit_policy_archive_composition
