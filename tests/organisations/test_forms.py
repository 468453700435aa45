"""organisations/forms.py: the profile form's rules (bounded logo uploads, codes that exist,
a size class that fits the employees) and the member sheet upload."""

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from organisations.forms import MAX_LOGO_BYTES, MemberImportForm, OrganisationForm

from .helpers import profile_post


def _png(side: int) -> bytes:
    buf = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buf, "PNG")
    return buf.getvalue()


def test_logo_larger_than_the_limit_is_refused(world):
    data = _png(1200)  # random pixels do not compress: about 4 MB
    assert len(data) > MAX_LOGO_BYTES
    form = OrganisationForm(
        data=profile_post(world.company),
        files={"logo": SimpleUploadedFile("logo.png", data, content_type="image/png")},
        instance=world.company,
    )
    assert not form.is_valid()
    assert "logo" in form.errors


def test_small_logo_is_accepted(world):
    form = OrganisationForm(
        data=profile_post(world.company),
        files={"logo": SimpleUploadedFile("logo.png", _png(32), content_type="image/png")},
        instance=world.company,
    )
    assert form.is_valid(), form.errors


def test_unknown_cpv_codes_are_named_in_the_error(world):
    form = OrganisationForm(
        data=profile_post(world.company, cpv_codes="42123000, 12345678 99999999"),
        instance=world.company,
    )
    assert not form.is_valid()
    assert "12345678, 99999999" in form.errors["cpv_codes"][0]


def test_employees_and_size_class_must_agree(world):
    form = OrganisationForm(
        data=profile_post(world.company, employees="400", size_class="small"),
        instance=world.company,
    )
    assert not form.is_valid()
    assert "Large" in form.errors["size_class"][0]


def test_member_sheet_must_be_a_csv_or_xlsx_file():
    form = MemberImportForm(files={"file": SimpleUploadedFile("members.txt", b"name\nA\n")})
    assert not form.is_valid()
    assert form.errors["file"] == ["Upload a .csv or .xlsx file."]
