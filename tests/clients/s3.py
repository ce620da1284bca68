#!/usr/bin/env python3
"""A real S3 endpoint on 127.0.0.1 (moto in server mode) for
`gazette deploy s3://…`; tests/clients/publish/deploy.rs runs it.

    python3 tests/clients/s3.py serve --bucket NAME [--fail-after N]
        Starts moto, creates the bucket, and prints `ready PORT PROXY
        REFUSER`: PORT is moto; PROXY forwards to it and, with
        --fail-after, stops answering for good after N requests (a store
        that dies part-way); REFUSER answers every request with S3's 403
        `AccessDenied`, as a store does to credentials it does not take
        (moto checks only credentials signed in a header, and fails with a
        500 on the query-signed requests gazette sends). Serves until
        killed.
    python3 tests/clients/s3.py dump --endpoint URL --bucket NAME
        Prints every object as JSON, read with boto3: key -> content type,
        cache control, website redirect, size and SHA-256 of the body.
"""

import argparse
import hashlib
import http.client
import http.server
import json
import socket
import sys
import threading

from local_server import free_port, run_until_stopped

CREDENTIALS = dict(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")



def proxy(target_port, fail_after):
    """A forwarding proxy that answers `fail_after` requests, then none."""
    count = {"n": 0}
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def forward(self):
            with lock:
                count["n"] += 1
                dead = fail_after is not None and count["n"] > fail_after
            if dead:
                # The store is gone: the connection drops with no answer.
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            upstream = http.client.HTTPConnection("127.0.0.1", target_port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            headers["Host"] = self.headers.get("Host", "")
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
            self.send_response(response.status)
            for k, v in response.getheaders():
                if k.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            upstream.close()

        do_GET = do_PUT = do_DELETE = do_HEAD = do_POST = forward

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return port


ACCESS_DENIED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
    b"<RequestId>GAZETTETEST</RequestId></Error>"
)


def refuser():
    """A store that takes no credentials: S3's 403 to every request."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def refuse(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send_response(403)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(ACCESS_DENIED)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(ACCESS_DENIED)

        do_GET = do_PUT = do_DELETE = do_HEAD = do_POST = refuse

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return port


def serve(args):
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:%d" % port, **CREDENTIALS)
    s3.create_bucket(Bucket=args.bucket)
    proxy_port = proxy(port, args.fail_after)
    print("ready %d %d %d" % (port, proxy_port, refuser()), flush=True)
    run_until_stopped(server.stop)


def dump(args):
    import boto3

    s3 = boto3.client("s3", endpoint_url=args.endpoint, **CREDENTIALS)
    out = {}
    token = None
    while True:
        kwargs = dict(Bucket=args.bucket)
        if token:
            kwargs["ContinuationToken"] = token
        page = s3.list_objects_v2(**kwargs)
        for item in page.get("Contents", []):
            obj = s3.get_object(Bucket=args.bucket, Key=item["Key"])
            body = obj["Body"].read()
            out[item["Key"]] = {
                "content_type": obj.get("ContentType"),
                "cache_control": obj.get("CacheControl"),
                "redirect": obj.get("WebsiteRedirectLocation"),
                "size": len(body),
                "sha256": hashlib.sha256(body).hexdigest(),
            }
        if not page.get("IsTruncated"):
            break
        token = page["NextContinuationToken"]
    print(json.dumps(out))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve")
    p.add_argument("--bucket", required=True)
    p.add_argument("--fail-after", type=int)
    p = sub.add_parser("dump")
    p.add_argument("--endpoint", required=True)
    p.add_argument("--bucket", required=True)
    args = parser.parse_args()
    return serve(args) if args.command == "serve" else dump(args)


if __name__ == "__main__":
    sys.exit(main())
