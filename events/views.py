from django.shortcuts import render


def event_list(request):
    """Events (the events issue fills this in)."""
    return render(request, "events/event_list.html")
