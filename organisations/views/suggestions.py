"""CPV codes suggested from a text, for the code pickers of the profile and call forms.

A company writing its capabilities, or a liaison officer drafting a call, in any of the 24 EU
languages, asks which codes fit; each suggestion says why (the words of the text that name the
code's label). The codes come from the suggester an upper app registered
(``forms.register_cpv_suggester``: matchmaking's engine).

One URL, two answers:

* JSON (``Accept: application/json``) for ``static/js/organisations.js``, which shows the
  suggestions under the CPV field and adds a code on a click;
* a page, for the forms' "Suggest codes" button without JavaScript: the button posts the form's
  text fields here (``suggest_from`` names them) and the page lists the codes to copy.

Signed-in users only (only they fill in these forms); the text is limited in length.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms import SuggestForm, suggest_cpv_codes
from ..tables import CPVSuggestionTable

#: the form fields whose text a "Suggest codes" button may send (``suggest_from``)
TEXT_FIELDS = ("text", "capabilities", "title", "description")
#: suggestions shown
K = 8


def _text(data) -> str:
    names = [n for n in (data.get("suggest_from") or "text").split() if n in TEXT_FIELDS]
    return "\n".join(data.get(n, "") for n in dict.fromkeys(names or ["text"])).strip()


@login_required
@require_http_methods(["GET", "POST"])
def cpv_suggest(request):
    """Suggested CPV codes for the text of a POST (or of ``?text=``), as JSON or as a page."""
    data = request.POST if request.method == "POST" else request.GET
    wants_json = "application/json" in request.headers.get("Accept", "")
    text = _text(data)
    form = SuggestForm({"text": text} if text else None)
    if form.is_bound and not form.is_valid():
        if wants_json:
            return JsonResponse({"results": [], "error": form.errors["text"][0]}, status=400)
        return render(request, "organisations/cpv_suggestions.html", {"form": form}, status=400)
    results = suggest_cpv_codes(form.cleaned_data["text"], k=K) if form.is_bound else []
    if wants_json:
        message = "" if results or not form.is_bound else _("No code fits this text yet.")
        return JsonResponse({"results": results, "message": message})
    return render(
        request,
        "organisations/cpv_suggestions.html",
        {
            "form": form,
            "results": results,
            "table": CPVSuggestionTable(results, request=request),
            "asked": form.is_bound,
        },
    )
