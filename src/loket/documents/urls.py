from django.urls import path

from loket.documents import views

app_name = "documents"
urlpatterns = [
    path("<str:public_id>/", views.verify, name="verify"),
    path("<str:public_id>/unduh/", views.download, name="download"),
]
