"""Reasons in words, built only from a MatchResult's components and exclusion."""

from __future__ import annotations

from .model import (
    EXCLUDED_COUNTRY,
    EXCLUDED_DEADLINE,
    EXCLUDED_NOT_PUBLISHED,
    EXCLUDED_NOT_RELEVANT,
    MatchResult,
)


def _code(code: str, labels: dict[str, str] | None) -> str:
    label = (labels or {}).get(code)
    return f"CPV {code} {label}" if label else f"CPV {code}"


def render_exclusion(result: MatchResult) -> str | None:
    reason, d = result.excluded_by, result.exclusion_detail
    if reason is None:
        return None
    if reason == EXCLUDED_COUNTRY:
        eligible = ", ".join(d.get("eligible", [])) or "other countries"
        return f"excluded: the call is open to {eligible} only, not to {d.get('country', '?')}"
    if reason == EXCLUDED_DEADLINE:
        deadline = d.get("deadline")
        when = f" on {deadline:%Y-%m-%d %H:%M %Z}".rstrip() if deadline else ""
        return f"excluded: the submission deadline passed{when}"
    if reason == EXCLUDED_NOT_PUBLISHED:
        return f"excluded: the call is not open (status {d.get('status', '?')})"
    if reason == EXCLUDED_NOT_RELEVANT:
        return "excluded: you marked this call as not relevant"
    return f"excluded: {reason}"


def render_reasons(result: MatchResult, cpv_labels: dict[str, str] | None = None) -> list[str]:
    """One sentence per fact behind the score, strongest components first.

    ``cpv_labels`` ({8-digit code: label}, e.g. from :func:`~.cpv.load_cpv_labels`) adds the
    code's name: "CPV 31670000 Electron tubes matches your code 31600000 (same group)".
    """
    out: list[str] = []
    excl = render_exclusion(result)
    if excl:
        out.append(excl)
    for comp in sorted(result.components, key=lambda c: (-c.contribution, c.name)):
        d = comp.detail
        if comp.name == "text":
            if d.get("terms"):
                out.append(
                    f"matched: {', '.join(d['terms'])} "
                    f"(text relevance {comp.value:.2f}, +{comp.contribution:.2f})"
                )
        elif comp.name == "cpv":
            m = d.get("match")
            if m is not None:
                how = m.level_name
                if m.covered and m.level < 8:
                    how += ", your code covers it"
                if m.level == 8:
                    out.append(
                        f"{_code(m.call_code, cpv_labels)} is one of your codes "
                        f"(+{comp.contribution:.2f})"
                    )
                else:
                    out.append(
                        f"{_code(m.call_code, cpv_labels)} matches your code {m.company_code} "
                        f"({how}; +{comp.contribution:.2f})"
                    )
        elif comp.name == "requirements":
            for cert in d.get("met", []):
                out.append(f"your {cert} meets the requirement")
            for cert in d.get("missing", []):
                out.append(f"the call requires {cert}, which your profile does not list")
        elif comp.name == "track_record":
            if d.get("same_buyer"):
                n = d["same_buyer"]
                out.append(f"you have {n} reference{'s' if n > 1 else ''} with this infrastructure")
            if d.get("divisions"):
                out.append("you have references in CPV division " + ", ".join(d["divisions"]))
            if d.get("verified"):
                out.append("your profile is verified by your cluster")
    return out
