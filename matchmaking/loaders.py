"""Selectors that turn the ORM's rows into the engine's plain dataclasses.

Each loader runs a fixed number of queries (``values_list`` on the main table and on each
many-to-many table) whatever the number of rows: no query per company or per call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from organisations.models import ContractReference, Organisation
from tenders.models import ProcurementCall

from .engine import CallProfile, CompanyProfile, Infrastructure, Reference
from .models import Feedback

COMPANY_KINDS = tuple(str(k) for k in Organisation.COMPANY_KINDS)


def country_codes(value) -> frozenset[str]:
    """The upper-case ISO codes of a stored list of countries (a CountryField's list or its
    comma-separated text), for the engine's profiles."""
    if not value:
        return frozenset()
    if isinstance(value, str):
        return frozenset(c.strip().upper() for c in value.split(",") if c.strip())
    return frozenset(str(getattr(c, "code", c)).upper() for c in value if c)


def _grouped(pairs, kind=list) -> defaultdict:
    """{key: the values of its pairs} from (key, value) rows, in a list (in order) or a set."""
    out = defaultdict(kind)
    add = kind.append if kind is list else kind.add
    for key, value in pairs:
        add(out[key], value)
    return out


def _domains(**organisations) -> defaultdict:
    """{organisation id: [its technology domains' names]}, by name."""
    return _grouped(
        Organisation.technology_domains.through.objects.filter(**organisations)
        .order_by("organisation_id", "technologydomain__name")
        .values_list("organisation_id", "technologydomain__name")
    )


def _name_key(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def _infrastructure_names() -> dict[str, int]:
    """{name or acronym, case-folded: id} of the directory's research infrastructures (a name
    two of them share names neither)."""
    found: dict[str, set[int]] = defaultdict(set)
    for pk, name, acronym in Organisation.objects.filter(
        kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE
    ).values_list("pk", "name", "acronym"):
        for key in {_name_key(name), _name_key(acronym)} - {""}:
            found[key].add(pk)
    return {key: next(iter(ids)) for key, ids in found.items() if len(ids) == 1}


def company_queryset():
    """Companies that are matched: SMEs and large companies with a published profile."""
    return Organisation.objects.filter(kind__in=COMPANY_KINDS, status=Organisation.Status.PUBLISHED)


def load_companies(
    ids: Iterable[int] | None = None, *, id_range: tuple[int, int] | None = None
) -> list[CompanyProfile]:
    """Company profiles ordered by id (all matched companies, or those ``ids``/``id_range``).

    The text is the capabilities, the technology domains and the references' descriptions. A
    reference gives the engine its client (the infrastructure of the directory, picked or named
    by its name or acronym), its CPV codes and its year.
    """
    qs = company_queryset()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if id_range is not None:
        qs = qs.filter(pk__gte=id_range[0], pk__lte=id_range[1])
    rows = list(qs.order_by("pk").values_list("pk", "country", "capabilities", "verified_at"))
    if not rows:
        return []
    org_filter = {"organisation__in": qs}
    cpv = _grouped(
        Organisation.cpv_codes.through.objects.filter(**org_filter)
        .order_by("organisation_id", "cpvcode_id")
        .values_list("organisation_id", "cpvcode_id")
    )
    certs = _grouped(
        Organisation.certifications.through.objects.filter(**org_filter).values_list(
            "organisation_id", "certification__name"
        ),
        set,
    )
    domains = _domains(organisation__in=qs)
    directory = _infrastructure_names()
    refs = {}
    ref_texts = defaultdict(list)
    for ref_id, org_id, client_id, client_name, year, description in (
        ContractReference.objects.filter(**org_filter)
        .order_by("organisation_id", "pk")
        .values_list("pk", "organisation_id", "client_id", "client_name", "year", "description")
    ):
        # a client typed in words that names an infrastructure of the directory is that one
        client = client_id or directory.get(_name_key(client_name))
        refs[ref_id] = (org_id, client, year, [])
        if description:
            ref_texts[org_id].append(description)
    for ref_id, code in (
        ContractReference.cpv_codes.through.objects.filter(contractreference__organisation__in=qs)
        .order_by("contractreference_id", "cpvcode_id")
        .values_list("contractreference_id", "cpvcode_id")
    ):
        if ref_id in refs:
            refs[ref_id][3].append(code)
    references = defaultdict(list)
    for ref_id, (org_id, client, year, codes) in refs.items():
        # a client outside the directory is nobody's buyer here: its reference still counts
        # for its CPV codes (the call's field), never as "worked for this infrastructure"
        references[org_id].append(Reference(client or f"ext-{ref_id}", tuple(codes), year))
    not_relevant = _grouped(
        Feedback.objects.filter(relevant=False, company__in=qs).values_list(
            "company_id", "call_id"
        ),
        set,
    )
    out = []
    for pk, country, capabilities, verified_at in rows:
        text = "\n".join(
            part for part in [capabilities or "", ", ".join(domains[pk]), *ref_texts[pk]] if part
        )
        out.append(
            CompanyProfile(
                id=pk,
                country=str(country or "").upper(),
                cpv_codes=tuple(cpv[pk]),
                certifications=frozenset(certs[pk]),
                capabilities=text,
                references=tuple(references[pk]),
                verified=verified_at is not None,
                not_relevant=frozenset(not_relevant[pk]),
            )
        )
    return out


def open_calls_queryset(now: datetime | None = None):
    """Calls that can be recommended: published, deadline not passed (or none)."""
    return ProcurementCall.objects.open(now)


def _load_calls(qs) -> list[CallProfile]:
    rows = list(
        qs.order_by("pk").values_list(
            "pk",
            "buyer_id",
            "status",
            "tender_period_end",
            "eligible_countries",
            "main_cpv_id",
            "title",
            "description",
        )
    )
    if not rows:
        return []
    additional = _grouped(
        ProcurementCall.additional_cpv.through.objects.filter(procurementcall__in=qs)
        .order_by("procurementcall_id", "cpvcode_id")
        .values_list("procurementcall_id", "cpvcode_id")
    )
    required = _grouped(
        ProcurementCall.required_certifications.through.objects.filter(
            procurementcall__in=qs
        ).values_list("procurementcall_id", "certification__name"),
        set,
    )
    return [
        CallProfile(
            id=pk,
            buyer_id=buyer_id,
            status=status,
            deadline=deadline,
            eligible_countries=country_codes(countries),
            cpv_main=main_cpv,
            cpv_additional=tuple(additional[pk]),
            required_certifications=frozenset(required[pk]),
            title=title or "",
            description=description or "",
        )
        for pk, buyer_id, status, deadline, countries, main_cpv, title, description in rows
    ]


def load_open_calls(now: datetime | None = None) -> list[CallProfile]:
    """Every open call, ordered by id."""
    return _load_calls(open_calls_queryset(now))


def load_calls(ids: Iterable[int]) -> list[CallProfile]:
    """These calls, whatever their status (the engine's hard rules exclude closed ones)."""
    return _load_calls(ProcurementCall.objects.filter(pk__in=list(ids)))


def load_infrastructures() -> tuple[list[Infrastructure], list[CallProfile]]:
    """Published infrastructures staff approved, with their technology domains, and their calls
    (any status but draft, the latest 2,000: past calls say what an infrastructure buys)."""
    infra_rows = list(
        Organisation.objects.acting()
        .filter(
            kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE, status=Organisation.Status.PUBLISHED
        )
        .order_by("pk")
        .values_list("pk", "name", "description")
    )
    domains = _domains(organisation__kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE)
    infras = [
        Infrastructure(id=pk, name=name, technology_domains=", ".join(domains[pk]) or description)
        for pk, name, description in infra_rows
    ]
    ids = [i.id for i in infras]
    recent = list(
        ProcurementCall.objects.filter(buyer_id__in=ids)
        .exclude(status=ProcurementCall.Status.DRAFT)
        .order_by("-pk")
        .values_list("pk", flat=True)[:2000]
    )
    return infras, _load_calls(ProcurementCall.objects.filter(pk__in=recent))
