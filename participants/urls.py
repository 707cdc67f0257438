from django.urls import path

from . import review, views

app_name = "participants"
urlpatterns = [
    path("cycles/<int:cycle_pk>/register/<str:role>/", views.register, name="register"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/<int:pk>/edit/", views.registration_edit, name="registration_edit"),
    path(
        "registrations/<int:pk>/withdraw/",
        views.registration_withdraw,
        name="registration_withdraw",
    ),
    path(
        "coordinate/cycles/<int:cycle_pk>/registrations/",
        review.registrations,
        name="registrations",
    ),
    path("coordinate/cycles/<int:cycle_pk>/decide/", review.decide, name="decide"),
    path(
        "coordinate/cycles/<int:cycle_pk>/base/<str:role>.<str:fmt>",
        review.export_base,
        name="export_base",
    ),
]
