"""``manage.py import_ocds``: round trip of our own packages, idempotence, refused files."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from organisations.models import Organisation
from tenders.models import Award, Lot, ProcurementCall
from tests.factories import InfrastructureFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

Status = ProcurementCall.Status


@pytest.fixture
def buyer():
    return InfrastructureFactory(name="European Spallation Source", acronym="ESS", country="SE")


def _calls(buyer) -> list[ProcurementCall]:
    now = timezone.now().replace(microsecond=0)
    open_call = ProcurementCall.objects.create(
        buyer=buyer,
        title="Supply of a 1.8 K helium cold box",
        description="Design, manufacture and test of a superfluid helium refrigerator.",
        reference="ESS-ITT-17",
        status=Status.PUBLISHED,
        procurement_method="restricted",
        main_procurement_category="goods",
        main_cpv_id="42512000",
        value_amount=Decimal("2500000.00"),
        value_currency="EUR",
        tender_period_end=now + dt.timedelta(days=30),
        enquiry_period_end=now + dt.timedelta(days=20),
        published_at=now - dt.timedelta(days=2),
        selection_criteria="ISO 9001; references in cryogenics",
    )
    open_call.additional_cpv.set(["42513200"])
    Lot.objects.create(call=open_call, number="1", title="Cold box", value_amount=Decimal("2e6"))
    Lot.objects.create(call=open_call, number="2", title="Controls")
    awarded = ProcurementCall.objects.create(
        buyer=buyer,
        title="Vacuum vessel welding services",
        status=Status.AWARDED,
        procurement_method="open",
        main_procurement_category="services",
        main_cpv_id="45262640",
        value_amount=Decimal("800000.00"),
        value_currency="SEK",
        tender_period_end=now - dt.timedelta(days=60),
        published_at=now - dt.timedelta(days=90),
    )
    Award.objects.create(
        call=awarded,
        supplier=OrganisationFactory(name="Weldtech AB", country="SE"),
        supplier_name="Weldtech AB",
        value_amount=Decimal("760000.00"),
        value_currency="SEK",
        date=dt.date(2025, 5, 2),
    )
    closed = ProcurementCall.objects.create(
        buyer=buyer,
        title="Radiation-hard cameras",
        status=Status.CLOSED,
        procurement_method="negotiated",
        main_procurement_category="goods",
        tender_period_end=now - dt.timedelta(days=1),
        published_at=now - dt.timedelta(days=40),
    )
    return [open_call, awarded, closed]


def _export(client, tmp_path) -> str:
    response = client.get("/calls/ocds.json", {"include_closed": "on"})
    assert response.status_code == 200
    path = tmp_path / "package.json"
    path.write_bytes(response.content)
    return str(path)


def _run(path: str) -> str:
    out = io.StringIO()
    call_command("import_ocds", path, stdout=out)
    return out.getvalue()


def _imported(original: ProcurementCall) -> ProcurementCall:
    return ProcurementCall.objects.get(source="ocds", source_id__endswith=f"-{original.pk}")


def test_round_trip_of_our_own_package(client, buyer, tmp_path):
    originals = _calls(buyer)
    orgs_before = Organisation.objects.count()
    out = _run(_export(client, tmp_path))
    assert "3 calls: 3 imported, 0 updated, 0 unchanged." in out
    assert Organisation.objects.count() == orgs_before  # the buyer was matched, not duplicated

    for original in originals:
        copy = _imported(original)
        for field in (
            "title",
            "description",
            "reference",
            "status",
            "procurement_method",
            "main_procurement_category",
            "main_cpv_id",
            "value_amount",
            "value_currency",
            "tender_period_end",
            "enquiry_period_end",
            "published_at",
            "buyer_id",
        ):
            assert getattr(copy, field) == getattr(original, field), field
        assert set(copy.additional_cpv.values_list("code", flat=True)) == set(
            original.additional_cpv.values_list("code", flat=True)
        )
        assert list(copy.lots.values_list("number", "title", "value_amount")) == list(
            original.lots.values_list("number", "title", "value_amount")
        )
        assert list(copy.awards.values_list("supplier_name", "value_amount", "date")) == list(
            original.awards.values_list("supplier_name", "value_amount", "date")
        )
    assert _imported(originals[0]).selection_criteria == "ISO 9001; references in cryogenics"


def test_second_import_changes_nothing(client, buyer, tmp_path):
    _calls(buyer)
    path = _export(client, tmp_path)
    _run(path)
    snapshot = list(ProcurementCall.objects.order_by("pk").values())
    lots = list(Lot.objects.order_by("pk").values())
    awards = list(Award.objects.order_by("pk").values())
    out = _run(path)
    assert "3 calls: 0 imported, 0 updated, 3 unchanged." in out
    assert list(ProcurementCall.objects.order_by("pk").values()) == snapshot
    assert list(Lot.objects.order_by("pk").values()) == lots
    assert list(Award.objects.order_by("pk").values()) == awards


def test_a_newer_release_updates_the_call(client, buyer, tmp_path):
    originals = _calls(buyer)
    path = _export(client, tmp_path)
    _run(path)
    package = json.loads((tmp_path / "package.json").read_text())
    release = next(r for r in package["releases"] if r["ocid"].endswith(f"-{originals[0].pk}"))
    release["tender"]["title"] = "Supply of a 2 K helium cold box"
    release["date"] = "2099-01-01T00:00:00+00:00"
    (tmp_path / "package.json").write_text(json.dumps(package))
    out = _run(path)
    assert "1 updated, 2 unchanged" in out
    assert _imported(originals[0]).title == "Supply of a 2 K helium cold box"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<TED_EXPORT/>", "not valid JSON"),
        (b"[1, 2, 3]", "top level is a JSON list"),
        (b'{"ocid": "ocds-x-1", "id": "1"}', "looks like a single release"),
        (
            json.dumps(
                {
                    "uri": "https://e.x/p",
                    "version": "1.1",
                    "publishedDate": "2025-01-01T00:00:00Z",
                    "publisher": {"name": "x"},
                    "releases": [
                        {
                            "ocid": "ocds-x-1",
                            "id": "r1",
                            "date": "2025-01-01T00:00:00Z",
                            "tag": ["tender"],
                            "initiationType": "tender",
                            "buyer": {"name": "CERN"},
                            "tender": {"id": "t", "title": "Ok", "status": "active"},
                        },
                        {
                            "ocid": "ocds-x-2",
                            "id": "r2",
                            "date": "2025-01-01T00:00:00Z",
                            "tag": ["tender"],
                            "initiationType": "tender",
                            "tender": {"id": "t", "value": {"amount": "lots"}},
                        },
                    ],
                }
            ).encode(),
            "release 1 (ocds-x-2) fails the OCDS 1.1 schema",
        ),
    ],
    ids=["xml", "json-list", "single-release", "schema-invalid"],
)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_saved(tmp_path, content, message):
    orgs_before = Organisation.objects.count()
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError) as excinfo:
        _run(str(path))
    assert str(excinfo.value).startswith("bad.json: refused, nothing saved: ")
    assert message in str(excinfo.value)
    assert not ProcurementCall.objects.exists()
    assert Organisation.objects.count() == orgs_before


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        _run(str(tmp_path / "missing.json"))


def test_imported_open_calls_are_announced_once(client, buyer, tmp_path):
    from tenders.signals import call_published

    originals = _calls(buyer)
    path = _export(client, tmp_path)
    received = []

    def receiver(sender, call_id, **kwargs):
        received.append(call_id)

    call_published.connect(receiver)
    try:
        _run(path)
        assert received == [_imported(originals[0]).pk]  # the open one, not closed/awarded
        _run(path)
        assert len(received) == 1
    finally:
        call_published.disconnect(receiver)
