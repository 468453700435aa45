"""Signals the apps above innovation listen to.

Sent by ``innovation.services`` inside the transaction of the write, so that what a receiver
writes commits (or rolls back) with it.
"""

from django.dispatch import Signal

# kwargs: interest: Interest, user: the person who expressed it (or None).
# ``conversations`` opens the interest's conversation with the interest's message as its first.
interest_expressed = Signal()
