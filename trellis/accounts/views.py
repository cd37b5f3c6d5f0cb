"""Thin views for signing in and out, password reset, the profile page and API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.http import require_http_methods, require_POST

from trellis.accounts import queries, services
from trellis.accounts.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    PasswordResetRequestForm,
    ProfileForm,
    SignInForm,
)
from trellis.accounts.models import User
from trellis.core.errors import DomainError
from trellis.core.http import client_ip


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.user.is_authenticated:
        return redirect(next_url or "dashboard:home")
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.authenticate_credentials(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                ip_address=client_ip(request),
                channel="web",
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            login(request, user, backend="trellis.accounts.backends.EmailBackend")
            return redirect(next_url or "dashboard:home")
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.record_logout(user=request.user, ip_address=client_ip(request))
    logout(request)
    messages.success(request, "You are signed out.")
    return redirect("accounts:login")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"full_name": user.full_name, "preferred_name": user.preferred_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(user=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
    return _render_profile(
        request, profile_form=form, status=400 if request.method == "POST" else 200
    )


def _render_profile(request: HttpRequest, *, status: int = 200, **forms: object) -> HttpResponse:
    context = {
        "profile_form": forms.get("profile_form")
        or ProfileForm(
            initial={
                "full_name": request.user.full_name,
                "preferred_name": request.user.preferred_name,
            }
        ),
        "password_form": forms.get("password_form") or ChangePasswordForm(),
        "token_form": forms.get("token_form") or ApiTokenForm(),
        "new_token_secret": forms.get("new_token_secret"),
        "tokens": queries.tokens_for(request.user),
        "memberships": getattr(request, "user_districts", []),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_POST
def change_password(request: HttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request.POST)
    if form.is_valid():
        if not request.user.check_password(form.cleaned_data["current_password"]):
            form.add_error("current_password", "That is not your current password.")
        else:
            try:
                services.set_password(
                    user=request.user, new_password=form.cleaned_data["new_password"]
                )
            except DomainError as exc:
                form.add_error("new_password", exc.message)
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, "Your password is changed.")
                return redirect("accounts:profile")
    return _render_profile(request, password_form=form, status=400)


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _token, secret = services.create_api_token(
                user=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, "Token created. Copy it now: it will not be shown again.")
            return _render_profile(request, new_token_secret=secret)
    return _render_profile(request, token_form=form, status=400)


@login_required
@require_POST
def revoke_token(request: HttpRequest, public_id: str) -> HttpResponse:
    token = queries.get_token(request.user, public_id)
    try:
        services.revoke_api_token(actor=request.user, token=token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Token “{token.name}” is revoked.")
    return redirect("accounts:profile")


@require_http_methods(["GET", "POST"])
def password_reset_request(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.send_password_reset(
            email=form.cleaned_data["email"], ip_address=client_ip(request)
        )
        return render(
            request, "accounts/password_reset_sent.html", {"email": form.cleaned_data["email"]}
        )
    return render(
        request,
        "accounts/password_reset.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/password_reset_invalid.html", status=400)
    error = ""
    if request.method == "POST":
        password = request.POST.get("new_password", "")
        if password != request.POST.get("new_password_again", ""):
            error = "The two passwords do not match."
        else:
            try:
                services.set_password(
                    user=user, new_password=password, reason="reset by e-mail link"
                )
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, "Your password is set. Sign in with it now.")
                return redirect("accounts:login")
    return render(
        request,
        "accounts/password_reset_confirm.html",
        {"error": error},
        status=400 if error else 200,
    )
