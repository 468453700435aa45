"""Security review: uploads are bounded; unpublished organisations are not named."""

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from organisations.forms import MAX_LOGO_BYTES, OrganisationForm
from organisations.models import Organisation
from tests.factories import ClusterFactory

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


def test_directory_cluster_filter_does_not_name_unpublished_clusters(client, db):
    ClusterFactory(name="Open Nordic Cluster", slug="open-nordic")
    ClusterFactory(
        name="Stealth Cluster In Draft", slug="stealth", status=Organisation.Status.DRAFT
    )
    page = client.get(reverse("organisations:organisation_list")).content.decode()
    assert "Open Nordic Cluster" in page
    assert "Stealth Cluster In Draft" not in page
