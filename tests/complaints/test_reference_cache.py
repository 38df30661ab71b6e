"""The rows every filing reads (government by slug, category by id or code, desa/kelurahan by
code) come from the shared cache after the first read, and a change is seen at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from loket.api.selectors import government_public
from loket.complaints import services
from loket.core.refcache import cached
from loket.organizations.models import Government
from tests import factories


def test_reference_rows_are_read_once(org, django_assert_num_queries):
    with django_assert_num_queries(4):
        government_public(slug=org.gov.slug)
        services._resolve_category(org.gov, "T-JALAN")
        services._resolve_category(org.gov, org.road.pk)
        services._resolve_region(org.gov, org.village.code)
    with django_assert_num_queries(0):
        assert government_public(slug=org.gov.slug) == org.gov
        assert services._resolve_category(org.gov, "T-JALAN") == org.road
        assert services._resolve_category(org.gov, org.road.pk) == org.road
        assert services._resolve_region(org.gov, org.village.code) == org.village


def test_a_deactivated_category_is_refused_at_once(org, submit):
    submit(category="T-JALAN")
    org.road.is_active = False
    org.road.save()
    with pytest.raises(ValidationError) as refused:
        submit(category="T-JALAN")
    assert "category" in refused.value.message_dict
    with pytest.raises(ValidationError):
        submit(category=org.road.pk)


def test_a_deactivated_government_is_gone_at_once(org):
    assert government_public(slug=org.gov.slug) == org.gov
    org.gov.is_active = False
    org.gov.save()
    assert government_public(slug=org.gov.slug) is None


def test_a_miss_is_not_cached(db):
    assert government_public(slug="kabupaten-baru") is None
    made = factories.government("18.05", slug="kabupaten-baru")
    assert government_public(slug="kabupaten-baru") == made


def test_only_registered_lookups_are_cached(org):
    with pytest.raises(ValueError, match="not a cached lookup"):
        cached(Government, "name", org.gov.name, lambda: org.gov)
