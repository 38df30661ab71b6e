from django.urls import path

from loket.payments import views

app_name = "payments"
urlpatterns = [
    path("kantor/", views.cashier_list, name="cashier_list"),
    path("kantor/<str:code>/", views.cashier_confirm, name="cashier_confirm"),
    path("callback/<slug:provider>/", views.callback, name="callback"),
    path("<str:code>/", views.bill_detail, name="bill"),
    path("<str:code>/simulasi/", views.simulate, name="simulate"),
]
