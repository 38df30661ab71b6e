from django.urls import path

from loket.accounts import views

app_name = "accounts"

urlpatterns = [
    path("daftar/", views.signup, name="signup"),
    path("profil/", views.profile, name="profile"),
]
