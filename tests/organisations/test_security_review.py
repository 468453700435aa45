"""Security review: uploads are bounded."""

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from organisations.forms import MAX_LOGO_BYTES, OrganisationForm

from .test_permissions_matrix import profile_post


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
