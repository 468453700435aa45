"""Pages that other apps add to without being imported: a registry of panels.

A page of a lower layer (the user's area in core, an organisation's page in organisations)
shows parts that belong to the apps above it (their calls, events, matches). The lower app
defines a :class:`Panels` registry; each upper app registers its panel in its
``AppConfig.ready()`` (the template it renders and a function giving that template its context);
the page renders what was registered, in ``order``. So the dependency points upward only, as a
signal's does: the page knows there may be panels, never whose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    order: int = 100
    #: (request, *objects) -> dict for the template, or None to leave the panel out
    context: Callable[..., dict | None] | None = None


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    context: dict = field(default_factory=dict)


class Panels:
    """A named place on a page that apps add panels to."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._panels: dict[str, Panel] = {}

    def register(self, name: str, template: str, *, order: int = 100, context=None) -> None:
        """Add (or replace: registering twice is harmless) the panel ``name``."""
        self._panels[name] = Panel(name=name, template=template, order=order, context=context)

    def __iter__(self):
        return iter(sorted(self._panels.values(), key=lambda p: (p.order, p.name)))

    def render(self, request, *objects) -> list[RenderedPanel]:
        """The panels to show, each with its context (those whose context is None are left out)."""
        out = []
        for panel in self:
            context = panel.context(request, *objects) if panel.context else {}
            if context is not None:
                out.append(RenderedPanel(panel.name, panel.template, context))
        return out


#: the user's own area (``/me/``): each app's part of it
dashboard = Panels("dashboard")

#: the home page's "open and upcoming", for everyone (visitors get it from the page cache, so
#: a context here must not depend on who asks): calls closing soon, the next events
home = Panels("home")

#: the home page's "what needs your attention", for a signed-in user: each app's panel renders
#: ``<li>`` items of one list (questions waiting for an officer, requests to decide...) and
#: returns None when nothing waits
attention = Panels("attention")
