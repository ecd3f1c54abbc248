from . import credit_policy_archive_backup_wizard
from . import credit_policy_archive_handover_wizard
from . import portal_share
from . import mail_compose_message
from . import mail_template_preview
