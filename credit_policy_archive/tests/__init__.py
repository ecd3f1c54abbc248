from . import test_credit_file_access_request
from . import test_credit_file_annual_review_report
from . import test_credit_file_confidentiality
from . import test_credit_file_documents
from . import test_credit_file_handover
from . import test_credit_file_policy
from . import test_credit_file_read_log
