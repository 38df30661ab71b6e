from django.urls import path

from loket.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
]
