from . import attachment
from . import mail
