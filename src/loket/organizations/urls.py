from django.urls import path

from loket.organizations import views

app_name = "organizations"

urlpatterns = [
    path("anak/", views.province_options, name="province_options"),
    path("<str:code>/anak/", views.child_options, name="region_children"),
]
