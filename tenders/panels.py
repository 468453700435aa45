"""Places on the calls app's pages that the apps above it add to (see core.panels)."""

from bigscience_portal.core.panels import Panels

#: a call's page: suggested suppliers...
call_page = Panels("call_page")
