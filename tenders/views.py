from django.shortcuts import render


def call_list(request):
    """Procurement calls (the calls issue fills this in)."""
    return render(request, "tenders/call_list.html")
