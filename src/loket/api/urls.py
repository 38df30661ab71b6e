from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from loket.api import complaints, errors, views

v1 = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("regions/", views.RegionListView.as_view(), name="api-regions"),
    path("governments/", views.GovernmentListView.as_view(), name="api-governments"),
    path(
        "governments/<slug:slug>/agencies/",
        views.AgencyListView.as_view(),
        name="api-government-agencies",
    ),
    path("tokens/", views.TokenListCreateView.as_view(), name="api-tokens"),
    path("tokens/<str:prefix>/", views.TokenDetailView.as_view(), name="api-token"),
    path("complaints/", complaints.ComplaintListCreateView.as_view(), name="api-complaints"),
    path("complaints/map/", complaints.ComplaintMapView.as_view(), name="api-complaints-map"),
    path(
        "complaints/track/<str:number>/",
        complaints.ComplaintTrackView.as_view(),
        name="api-complaint-track",
    ),
    path(
        "complaints/<str:number>/",
        complaints.ComplaintDetailView.as_view(),
        name="api-complaint",
    ),
    path("me/complaints/", complaints.MyComplaintsView.as_view(), name="api-my-complaints"),
]

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", views.api_docs, name="api-docs"),
    path("api/v1/", include(v1)),
    # Last: any other /api/ address answers 404 in the API's error shape, not an HTML page.
    re_path(r"^api/", errors.not_found),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
