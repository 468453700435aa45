"""factory_boy factories for every model a test builds, one module per app (import from here).

from tests.factories import OrganisationFactory, ProcurementCallFactory, EventFactory
"""

from .core import *  # noqa: F403
from .events import *  # noqa: F403
from .innovation import *  # noqa: F403
from .matchmaking import *  # noqa: F403
from .organisations import *  # noqa: F403
from .outcomes import *  # noqa: F403
from .tenders import *  # noqa: F403
