"""Loading the CPV and NACE classifications: complete, idempotent, all or nothing."""

import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from organisations.models import CPVCode, NACECode

pytestmark = pytest.mark.django_db


def test_loading_twice_leaves_exactly_the_reference_codes(capsys):
    call_command("load_reference_data")
    call_command("load_reference_data")
    out = capsys.readouterr().out
    assert "CPV codes: 0 created, 0 updated, 9454 in total" in out
    assert "NACE codes: 0 created, 0 updated, 996 in total" in out
    assert CPVCode.objects.count() == 9454
    assert NACECode.objects.count() == 996


def test_cpv_hierarchy_comes_from_the_digits():
    tubes = CPVCode.objects.get(code="31670000")
    assert tubes.prefix == "3167" and tubes.level == CPVCode.Level.CLASS
    assert tubes.parent_id == "31600000"
    assert CPVCode.objects.get(code="31600000").parent_id == "31000000"
    assert CPVCode.objects.get(code="31000000").parent_id is None
    beneath = CPVCode.objects.filter(prefix__startswith="316")
    assert beneath.filter(code="31670000").exists()
    assert not beneath.filter(code="45000000").exists()


def test_nace_hierarchy_is_loaded_with_levels():
    cls = NACECode.objects.get(code="26.51")
    assert cls.level == NACECode.Level.CLASS
    assert cls.parent.code == "26.5" and cls.parent.parent.code == "26"
    assert cls.parent.parent.parent.code == "C"


def test_missing_file_fails_clearly_and_changes_nothing(tmp_path):
    shutil.copy(settings.REFERENCE_DATA_DIR / "cpv_codes.csv", tmp_path / "cpv_codes.csv")
    CPVCode.objects.filter(code="31670000").update(label="changed")
    with pytest.raises(CommandError, match=r"nace_rev2.csv: file not found"):
        call_command("load_reference_data", data_dir=tmp_path)
    assert CPVCode.objects.get(code="31670000").label == "changed"


def test_malformed_file_names_the_line_and_changes_nothing(tmp_path):
    shutil.copy(settings.REFERENCE_DATA_DIR / "nace_rev2.csv", tmp_path / "nace_rev2.csv")
    good = (settings.REFERENCE_DATA_DIR / "cpv_codes.csv").read_text(encoding="utf-8")
    lines = good.splitlines()
    lines[3] = "3160000X-1,Broken code"
    (tmp_path / "cpv_codes.csv").write_text("\n".join(lines), encoding="utf-8")
    CPVCode.objects.filter(code="03000000").update(label="changed")
    with pytest.raises(CommandError, match=r"line 4: '3160000X-1' is not a CPV code"):
        call_command("load_reference_data", data_dir=tmp_path)
    assert CPVCode.objects.get(code="03000000").label == "changed"
    assert CPVCode.objects.count() == 9454
