#!/usr/bin/env python3
"""Serve latency: start `gazette serve` on a site, append a unique word to one
entry, poll that entry's page on 127.0.0.1 until the word appears. Prints the
median and worst of N edits, as ../shared/BENCH.md asks.

usage: bench/serve_latency.py SITE_DIR [--edits 20] [--gap 1.0] [--port 18400] [--binary target/release/gazette]

The edited page is served before the files made from the whole site (feeds,
search, email editions), which follow it; --gap sets how long to wait
between edits (an edit that lands while those are still being made waits
for them).
"""
import argparse, glob, os, statistics, subprocess, sys, time, urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("site")
ap.add_argument("--edits", type=int, default=20)
ap.add_argument("--port", type=int, default=18400)
ap.add_argument("--binary", default="target/release/gazette")
ap.add_argument("--gap", type=float, default=1.0,
                help="seconds between edits, so that each finds the server idle (default 1)")
args = ap.parse_args()

def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""

base = f"http://127.0.0.1:{args.port}/"
server = subprocess.Popen([args.binary, "serve", "--root", args.site, "--port", str(args.port)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
originals = {}
try:
    started = time.time()
    while not get(base):
        if time.time() - started > 120:
            sys.exit("the server did not start")
        time.sleep(0.05)
    print(f"ready after {time.time() - started:.2f} s")
    entries = sorted(p for p in glob.glob(os.path.join(args.site, "content", "[0-9]*", "*.md"))
                     if not os.path.basename(p).startswith("_") and "kind: story" not in open(p).read())
    latencies = []
    for n in range(args.edits):
        path = entries[(n * 7919) % len(entries)]
        day, name = path.split(os.sep)[-2], os.path.basename(path)[:-3]
        url = base + day.replace("-", "/") + "/" + name + "/"
        word = f"latencyword{n}x{int(time.time() * 1000)}"
        if path not in originals:
            with open(path, "rb") as f:
                originals[path] = f.read()
        with open(path, "a") as f:
            f.write(f"\n{word}\n")
        t0 = time.perf_counter()
        while word not in get(url):
            if time.perf_counter() - t0 > 30:
                sys.exit(f"edit {n} never showed up at {url}")
            time.sleep(0.002)
        latencies.append((time.perf_counter() - t0) * 1000)
        if latencies[-1] > 100:
            print(f"edit {n}: {latencies[-1]:.0f} ms for {path}")
        time.sleep(args.gap)
    print(f"{args.edits} edits: median {statistics.median(latencies):.0f} ms, "
          f"worst {max(latencies):.0f} ms, best {min(latencies):.0f} ms")
finally:
    server.kill()
    # The corpus as it was: each run's edits would pile up in it.
    for path, text in originals.items():
        with open(path, "wb") as f:
            f.write(text)
