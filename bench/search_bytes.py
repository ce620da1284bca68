#!/usr/bin/env python3
"""Search downloads: what the theme's search box fetches of the index for
each query, typed in Chromium one key at a time (tests/clients/search.mjs),
on a site already built for http://127.0.0.1:PORT/: the bytes as served,
and gzipped as most hosts would send them. Also the index's rarest and
commonest words, to pick queries from (the default queries).

usage: bench/search_bytes.py OUTPUT_DIR [--port 18500] [--delay 60] [QUERY ...]

Needs the client tools (bash .ci/setup-clients).
"""
import argparse, base64, gzip, json, os, subprocess, sys, urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("queries", nargs="*")
ap.add_argument("--port", type=int, default=18500)
ap.add_argument("--delay", type=int, default=60, help="ms between keys")
args = ap.parse_intermixed_args()

def read(rel):
    with open(os.path.join(args.out, rel), encoding="utf-8") as f:
        return json.load(f)

# How many documents hold each word, from the shards.
manifest = read("search.json")
counts = {}
for first, name, size in manifest["shards"]:
    for word, (documents, _titles) in read(f"search/w/{name}.json").items():
        data = base64.b64decode(documents[1:])
        counts[word] = (sum(bin(b).count("1") for b in data) if documents[0] == "b"
                        else sum(1 for b in data if b < 128))
alpha = sorted((n, w) for w, n in counts.items() if w.isalpha() and len(w) > 3)
index_bytes = sum(os.path.getsize(os.path.join(root, f))
                  for root, _, files in os.walk(os.path.join(args.out, "search")) for f in files)
print(f"{manifest['documents']:,} documents, {len(counts):,} words, {len(manifest['shards'])} shards; "
      f"manifest {os.path.getsize(os.path.join(args.out, 'search.json')):,} B, index {index_bytes / 1e6:.1f} MB")
print("rarest:", ", ".join(f"{w} ({n})" for n, w in alpha[:5]))
print("commonest:", ", ".join(f"{w} ({n})" for n, w in alpha[-5:]))

here = os.path.dirname(os.path.abspath(__file__))
script = os.path.join(here, "..", "tests", "clients", "search.mjs")
for query in args.queries or [alpha[0][1], alpha[-1][1]]:
    run = subprocess.run(["node", script, "--url", f"http://127.0.0.1:{args.port}/", "--query", query,
                          "--dir", args.out, "--port", str(args.port), "--delay", str(args.delay)],
                         capture_output=True, text=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
    if run.returncode != 0:
        sys.exit(f"search.mjs failed for {query!r}:\n{run.stderr}")
    seen = json.loads(run.stdout)
    part = lambda key: [r for r in seen["requests"] if key in r["url"]]
    size = lambda rs: sum(r.get("bytes", 0) for r in rs)
    def gzipped(r):
        rel = urllib.parse.urlparse(r["url"]).path.lstrip("/")
        with open(os.path.join(args.out, rel), "rb") as f:
            return len(gzip.compress(f.read(), 6))
    print(f"{query!r:24} {seen['bytes']:>8,} B ({sum(map(gzipped, seen['requests'])):,} gzipped): manifest {size(part('search.json')):,}, "
          f"{len(part('/search/w/'))} shard(s) {size(part('/search/w/')):,}, "
          f"{len(part('/search/d/'))} file(s) of records {size(part('/search/d/')):,} "
          f"| {seen['status']['text']}")
