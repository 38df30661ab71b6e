"""``/open311/v2/``: GeoReport v2, format by suffix (``.json`` / ``.xml``).

The suffix is a plain string parameter checked by the views, so an unknown format answers
404 in the spec's error shape instead of falling through to an HTML page.
"""

from django.urls import path

from loket.open311 import views

app_name = "open311"

urlpatterns = [
    path("discovery.<str:fmt>", views.DiscoveryView.as_view(), name="discovery"),
    path("services.<str:fmt>", views.ServiceListView.as_view(), name="services"),
    path(
        "services/<str:service_code>.<str:fmt>",
        views.ServiceDefinitionView.as_view(),
        name="service",
    ),
    path("requests.<str:fmt>", views.RequestListView.as_view(), name="requests"),
    path(
        "requests/<str:service_request_id>.<str:fmt>",
        views.RequestDetailView.as_view(),
        name="request",
    ),
]
