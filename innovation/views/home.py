"""The app's front page: the latest opportunities and open challenges, and where to go."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from .. import permissions, process, selectors


def home(request):
    user = request.user
    return render(
        request,
        "innovation/home.html",
        {
            "opportunities": list(
                selectors.opportunities_public().order_by("-published_at", "-pk")[:5]
            ),
            "challenges": list(
                selectors.challenges_public()
                .filter(stage=process.OPEN, proposals_deadline__gt=timezone.now())
                .order_by("proposals_deadline", "pk")[:5]
            ),
            "can_create_opportunity": permissions.can_create_opportunity(user),
            "can_create_challenge": permissions.can_create_challenge(user),
        },
    )
