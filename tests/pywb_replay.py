"""Replay URLs through pywb (run in a subprocess: pywb monkey-patches the standard library with gevent).

``python -m tests.pywb_replay ROOT URL...`` prints one JSON line per URL: the status and body pywb's id_
(unrewritten) replay of the latest capture gives. ROOT holds ``collections/c/{archive,indexes}`` as
``wb-manager`` lays them out.
"""

from __future__ import annotations

import base64
import io
import json
import os
import sys


def replay(root: str, urls: list[str]) -> list[dict]:
    os.chdir(root)
    from pywb.apps.frontendapp import FrontEndApp

    app = FrontEndApp()
    out = []
    for url in urls:
        path = f"/c/2099id_/{url}"  # the capture closest to 2099: the latest one
        path, _, query = path.partition("?")
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "localhost",
                   "SERVER_PORT": "8080", "HTTP_HOST": "localhost:8080", "wsgi.url_scheme": "http",
                   "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "SCRIPT_NAME": "",
                   "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.version": (1, 0), "wsgi.multithread": False,
                   "wsgi.multiprocess": False, "wsgi.run_once": False}
        got = {}

        def start_response(status, headers, exc_info=None, got=got):
            got["status"] = int(status.split()[0])
            got["headers"] = headers

        body = b"".join(app(environ, start_response))
        out.append({"url": url, "status": got.get("status"), "body": base64.b64encode(body).decode()})
    return out


if __name__ == "__main__":
    for row in replay(sys.argv[1], sys.argv[2:]):
        print("REPLAY " + json.dumps(row))  # pywb prints its own notes on stdout too
