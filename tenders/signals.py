"""Signals other apps listen to (matchmaking scores a call when it is published or changed).

Sent by tenders.services after the write, with ``call_id``; receivers enqueue their work with
``delay_on_commit`` so that nothing runs before the transaction commits.
"""

from django.dispatch import Signal

# kwargs: call_id: int
call_published = Signal()
# kwargs: call_id: int (a published call's content changed: an amendment)
call_changed = Signal()
# kwargs: call_id: int, status: str (closed, awarded, cancelled)
call_status_changed = Signal()
