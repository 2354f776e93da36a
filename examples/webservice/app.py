"""A small Flask shop whose business logic heals itself.

Run it from this directory (it reads this directory's pyproject.toml):

    selfheal run app.py                 # listens on 127.0.0.1:5000 (PORT=0: any free port)

then, in another terminal:

    curl 'http://127.0.0.1:5000/quote?sku=pen&qty=3'     # works
    curl 'http://127.0.0.1:5000/quote?sku=pen&qty=12'    # a bulk order: the bug, healed

The second request hits a KeyError in `inventory.quote`. selfheal captures it, the
offline engine proposes patches, the sandbox verifies them against the failing request
and the small quotes served before, and the verified patch is swapped into the running
server: the request gets the right answer (HTTP 200) and so does every later bulk
order. The record is in `.selfheal/` (or `$SELFHEAL_STORE`): `selfheal list`.

Started with plain `python app.py` the same server runs unprotected and the bulk order
is an HTTP 500.
"""

from __future__ import annotations

import os
import sys

import inventory
from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.serving import make_server

app = Flask(__name__)


@app.get("/health")
def health() -> ResponseReturnValue:
    return jsonify(ok=True)


@app.get("/quote")
def quote() -> ResponseReturnValue:
    sku = request.args.get("sku", "")
    if sku not in inventory.CATALOGUE:
        return jsonify(error=f"unknown sku {sku!r}"), 404
    try:
        quantity = int(request.args.get("qty", "1"))
    except ValueError:
        return jsonify(error="qty must be an integer"), 400
    return jsonify(inventory.quote(sku, quantity))


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("PORT", "5000"))
    server = make_server(host, port, app, threaded=True)
    # The real port (PORT=0 asks the system for a free one), for people and for tests.
    print(f"shop listening on http://{host}:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
