"""A URLconf for tests only: the real routes plus views that raise or need a scope."""

from __future__ import annotations

from django.urls import include, path
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from loket.api.authentication import ApiKeyAuthentication, BearerTokenAuthentication
from loket.api.permissions import HasScope


class Boom(APIView):
    permission_classes: list = []

    def get(self, request):
        raise RuntimeError("a bug with a secret: api_key=lk_abc")


class Open311Like(APIView):
    """Opts in to the api_key parameter and needs the open311 scope."""

    authentication_classes = [
        BearerTokenAuthentication,
        ApiKeyAuthentication,
        SessionAuthentication,
    ]
    permission_classes = [HasScope("open311")]

    def get(self, request):
        return Response({"key": request.auth.prefix, "user": request.user.is_authenticated})

    def post(self, request):
        return Response({"key": request.auth.prefix}, status=201)


urlpatterns = [
    path("test/boom/", Boom.as_view()),
    path("test/open311/", Open311Like.as_view()),
    path("", include("loket.urls")),
]
