"""The API's documentation: its OpenAPI 3 schema, made from the code by drf-spectacular, and a
browsable reference (Swagger UI, served from our own static files) for staff."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import authentication, permissions

from .keys import KEYWORD, ApiKeyAuthentication, HasApiKey

# Swagger UI's own scripts and styles, from this site only; its start-up script is a file of its
# own (the "split" view), so no inline script runs.
REFERENCE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """How the schema describes the key (drf-spectacular finds it by `target_class`)."""

    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"`{KEYWORD} <key>`: keys are made by editors in the back office.",
        }


class IsStaff(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_staff)


class Schema(SpectacularAPIView):
    """Readable with an API key, or by staff signed in to the back office (for the reference):
    it describes the API and holds no content."""

    authentication_classes = [ApiKeyAuthentication, authentication.SessionAuthentication]
    permission_classes = [HasApiKey | IsStaff]
    throttle_classes = []


class Reference(SpectacularSwaggerSplitView):
    authentication_classes = [authentication.SessionAuthentication]
    permission_classes = [IsStaff]
    throttle_classes = []

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers["Content-Security-Policy"] = REFERENCE_POLICY
        response.headers["Cache-Control"] = "private, no-store"
        return response
