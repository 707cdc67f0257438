from django.urls import path

from . import views

urlpatterns = [
    path("my/data/", views.my_data, name="my_data"),
    path("my/data.json", views.my_data_json, name="my_data_json"),
    path("my/erase/", views.erase_account, name="erase_account"),
    path(
        "coordinate/participants/<int:pk>/erase/",
        views.erase_participant,
        name="erase_participant",
    ),
]
