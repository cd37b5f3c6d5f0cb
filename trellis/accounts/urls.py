from django.urls import path

from trellis.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.change_password, name="change_password"),
    path("tokens/", views.create_token, name="create_token"),
    path("tokens/<uuid:public_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("password-reset/", views.password_reset_request, name="password_reset"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
]
