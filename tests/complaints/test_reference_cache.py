"""The rows every filing reads (government by slug, category by id or code, desa/kelurahan by
code) come from the shared cache after the first read, and a change is seen at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from loket.api.selectors import government_public
from loket.complaints import services
from loket.complaints.models import Category
from loket.core.refcache import cached, fast_cache
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


def test_a_row_cached_again_before_the_commit_is_dropped_at_commit(
    org, django_capture_on_commit_callbacks
):
    before = government_public(slug=org.gov.slug)
    with django_capture_on_commit_callbacks(execute=True):
        org.gov.is_active = False
        org.gov.save()
        # Meanwhile a filing on another server reads the row still committed and caches it.
        cached(Government, "slug", org.gov.slug, lambda: before)
    assert government_public(slug=org.gov.slug) is None


def test_a_renamed_slug_or_code_is_not_found_under_the_old_one(org):
    old_slug = org.gov.slug
    assert government_public(slug=old_slug) == org.gov
    assert services._resolve_category(org.gov, "T-JALAN") == org.road
    org.gov.slug = "kota-baru"
    org.gov.save()
    org.road.service_code = "T-JALAN-2"
    org.road.save()
    assert government_public(slug=old_slug) is None
    assert government_public(slug="kota-baru") == org.gov
    with pytest.raises(ValidationError):
        services._resolve_category(org.gov, "T-JALAN")


def test_a_moved_category_subtree_is_read_with_its_new_path(org):
    assert services._resolve_category(org.gov, "T-JALAN").path == f"{org.infra.pk}/{org.road.pk}"
    org.infra.parent = org.trash
    org.infra.save()  # the subtree's paths change by queryset update
    moved = services._resolve_category(org.gov, "T-JALAN")
    assert moved.path == Category.objects.get(pk=org.road.pk).path
    assert moved.path == f"{org.trash.pk}/{org.infra.pk}/{org.road.pk}"


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "loket_cache_unused",
        }
    }
)
def test_with_the_database_cache_rows_are_read_directly(org):
    assert not fast_cache()
    reads = []

    def load():
        reads.append(1)
        return org.gov

    cached(Government, "slug", org.gov.slug, load)
    cached(Government, "slug", org.gov.slug, load)
    assert len(reads) == 2  # a database cache hit would be a query too
