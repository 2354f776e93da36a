"""The shop as a Flask app: `gunicorn shop.wsgi:app`, `flask --app shop.wsgi run`."""

from __future__ import annotations

import os

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue

from shop import pricing

app = Flask(__name__)


@app.get("/echo")
def echo() -> ResponseReturnValue:
    """The plain endpoint: no business logic, nothing to heal."""
    return jsonify(text=request.args.get("text", ""), worker=os.getpid())


@app.get("/quote")
def quote() -> ResponseReturnValue:
    sku = request.args.get("sku", "")
    if sku not in pricing.CATALOGUE:
        return jsonify(error=f"unknown sku {sku!r}"), 404
    quantity = int(request.args.get("qty", "1"))
    return jsonify(total_cents=pricing.quote(sku, quantity), worker=os.getpid())
