"""What the people app tells the apps above it."""

from django.dispatch import Signal

#: sent with ``user`` inside ``services.account_delete``'s transaction, before anything of the
#: account is deleted: an app above people hands back what the person holds (a place on an
#: exchange goes to its waiting list), as when they give it up themselves
account_deleting = Signal()
