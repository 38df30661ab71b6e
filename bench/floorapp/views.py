"""The framework's floor: bare views through the same middleware stack as Loket's pages."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from bench.floorapp.models import FloorRow


@csrf_exempt
def floor_write(request: HttpRequest) -> JsonResponse:
    """POST: insert one row and answer its id (201)."""
    if request.method != "POST":
        return JsonResponse({"error": "POST only"}, status=405)
    row = FloorRow.objects.create(key=request.headers.get("Idempotency-Key", "")[:64])
    return JsonResponse({"id": row.pk}, status=201)


def floor_read(request: HttpRequest) -> JsonResponse:
    """GET: read one row by primary key (the newest) and answer it."""
    row = FloorRow.objects.order_by("-id").values("id", "key").first()
    return JsonResponse({"row": row})
