"""Back-office pages of the catalogue, mounted at ``kantor/layanan/``."""

from django.urls import path

from loket.catalog import office_views as views

app_name = "catalog_office"

urlpatterns = [
    path("", views.service_list, name="list"),
    path("baru/", views.service_create, name="create"),
    path("<int:pk>/", views.service_edit, name="edit"),
    path("<int:pk>/terbit/", views.service_publish, name="publish"),
    path("<int:pk>/pengaduan/", views.service_complaint_handling, name="complaint_handling"),
    path("<int:pk>/riwayat/", views.service_history, name="history"),
    path("<int:pk>/riwayat/<int:number>/", views.service_version, name="version"),
    path("maklumat/<int:agency_id>/", views.agency_pledge, name="pledge"),
]
