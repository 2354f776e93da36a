"""The shop as a Starlette app with async handlers: `uvicorn shop.asgi:app`."""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from shop import pricing


async def echo(request: Request) -> JSONResponse:
    """The plain endpoint: no business logic, nothing to heal."""
    return JSONResponse({"text": request.query_params.get("text", ""), "worker": os.getpid()})


async def quote(request: Request) -> JSONResponse:
    sku = request.query_params.get("sku", "")
    if sku not in pricing.CATALOGUE:
        return JSONResponse({"error": f"unknown sku {sku!r}"}, status_code=404)
    quantity = int(request.query_params.get("qty", "1"))
    total = await pricing.aquote(sku, quantity)
    return JSONResponse({"total_cents": total, "worker": os.getpid()})


app = Starlette(routes=[Route("/echo", echo), Route("/quote", quote)])
