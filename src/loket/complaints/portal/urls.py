"""Citizen and public complaint pages, mounted at ``pengaduan/``. ``complaints:track`` is the
name the domain layer reverses for tracking links (``selectors.tracking_path``)."""

from django.urls import path

from loket.complaints.portal import views

app_name = "complaints"

urlpatterns = [
    path("", views.home, name="home"),
    path("peta/", views.map_page, name="map"),
    path("peta/data/", views.map_data, name="map_data"),
    path("lapor/", views.report, name="report"),
    path("lapor/foto/", views.photo_upload, name="photo_upload"),
    path("lapor/serupa/", views.duplicates, name="duplicates"),
    path("lapor/terkirim/<str:number>/", views.submitted, name="submitted"),
    path("lacak/", views.track_form, name="track_form"),
    path("lacak/<str:number>/", views.track, name="track"),
    path("saya/", views.mine, name="mine"),
    path("saya/<str:number>/", views.mine_detail, name="mine_detail"),
    path("tamu/<str:number>/<str:token>/", views.guest_entry, name="guest_entry"),
    path("tamu/<str:number>/", views.guest_detail, name="guest_detail"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/dukung/", views.support, name="support"),
    path("<str:number>/ikuti/", views.follow, name="follow"),
]
