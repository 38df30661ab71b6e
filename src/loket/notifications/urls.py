from django.urls import path

from loket.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
]
