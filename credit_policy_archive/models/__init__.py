# The mixins first: the file's models inherit them.
from . import credit_policy_archive_confidential_mixin
from . import credit_policy_archive_file
from . import credit_policy_archive_file_content_mixin
from . import credit_policy_archive_access_request
from . import credit_policy_archive_backup
from . import credit_policy_archive_document
from . import credit_policy_archive_document_type
from . import credit_policy_archive_financial
from . import credit_policy_archive_read_log
from . import credit_policy_archive_source
from . import credit_policy_archive_visit
from . import credit_policy_evaluation
from . import credit_policy_grade
from . import ir_binary
from . import res_company
from . import res_partner
from . import res_users
