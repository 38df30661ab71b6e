from django.urls import path

from loket.accounts import views

app_name = "accounts"

urlpatterns = [
    path("daftar/", views.signup, name="signup"),
    path("daftar/konfirmasi/", views.signup_confirm, name="signup_confirm"),
    path("daftar/kirim-ulang/", views.signup_resend, name="signup_resend"),
    path("profil/", views.profile, name="profile"),
    path("profil/unduh-data/", views.export, name="export"),
    path("profil/hapus-akun/", views.delete, name="delete"),
]
