from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("loket.portal.urls")),
    path("", include("loket.api.urls")),
    path("open311/v2/", include("loket.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("loket.accounts.urls")),
    path("akun/", include("allauth.urls")),
    path("kotak-masuk/", include("loket.notifications.urls")),
    path("layanan/", include("loket.catalog.urls")),
    path("pengaduan/", include("loket.complaints.portal.urls")),
    path("permohonan/", include("loket.applications.urls")),
    path("kantor/layanan/", include("loket.catalog.office_urls")),
    path("kantor/permohonan/", include("loket.applications.office_urls")),
    path("kantor/survei/", include("loket.surveys.office_urls")),
    path("kantor/pengaduan/", include("loket.complaints.office_urls")),
    path("kantor/", include("loket.backoffice.urls")),
    path("berkas/", include("loket.core.file_views")),
    path("wilayah/", include("loket.organizations.urls")),
    path("verifikasi/", include("loket.documents.urls")),
    path("pembayaran/", include("loket.payments.urls")),
    path("survei/", include("loket.surveys.urls")),
    path("admin/", admin.site.urls),
]
