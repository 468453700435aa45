"""The pages of the events app, by audience: ``public`` (everyone), ``participant`` (the B2B
participant's own pages) and ``organiser``; ``access`` loads the event for each audience."""
