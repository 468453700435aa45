"""Signals other apps listen to (matchmaking re-scores a company whose profile changed).

Sent by organisations.services after the write, with ``organisation_id``; receivers enqueue
their work with ``delay_on_commit`` so that nothing runs before the transaction commits.
"""

from django.dispatch import Signal

# kwargs: organisation_id: int
profile_changed = Signal()
