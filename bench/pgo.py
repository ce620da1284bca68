#!/usr/bin/env python3
"""A release binary built with profile-guided optimisation (PGO).

A build of gazette spends its time in code whose branches depend on the
input: Tera's interpreter, Oniguruma's regex search for syntect, the
Markdown and HTML parsers. Told which branches a real build takes, LLVM
lays that code out for them. This script:

1. builds gazette instrumented (`-Cprofile-generate`), into
   `target/pgo-generate/`;
2. runs it on a training site: a 2,000-entry corpus of
   `../shared/bench/gen_corpus.py` with seed 7 (the benchmark's corpora
   use the default seed: the profile is not fitted to what is measured),
   built cold twice, rebuilt with nothing changed, and checked; then the
   repository's sample site and each fixture site of `tests/testsuite`,
   laid over `base` where the tests do (some on purpose broken: their
   errors are part of the profile);
3. merges the profile with the `llvm-profdata` of this Rust toolchain
   (`rustup component add llvm-tools`; the script asks rustup for it);
4. builds gazette with the profile (`-Cprofile-use`) into
   `target/pgo/<host>/release/gazette`, the path it prints.

The output is the same, byte for byte, as that of `cargo build --release`
(the optimiser changes how the code runs, not what it computes).

usage: bench/pgo.py [--entries 2000] [--seed 7]

Then: bench/run.py --binary target/pgo/<host>/release/gazette
"""
import argparse, glob, os, shutil, subprocess, sys, tempfile

from sites import GEN, REPO, use_theme

ap = argparse.ArgumentParser()
ap.add_argument("--entries", type=int, default=2000)
ap.add_argument("--seed", type=int, default=7)
args = ap.parse_args()


def say(text):
    print(f"pgo: {text}", flush=True)


def output(cmd):
    return subprocess.run(cmd, check=True, text=True, capture_output=True).stdout.strip()


def host():
    for line in output(["rustc", "-vV"]).splitlines():
        if line.startswith("host: "):
            return line.split(": ", 1)[1]
    sys.exit("pgo: `rustc -vV` names no host")


def profdata(target):
    """This toolchain's llvm-profdata: its profile format is the one rustc's LLVM writes."""
    sysroot = output(["rustc", "--print", "sysroot"])
    path = os.path.join(sysroot, "lib", "rustlib", target, "bin", "llvm-profdata")
    if not os.path.exists(path):
        say("installing llvm-tools (rustup component add llvm-tools)")
        subprocess.run(["rustup", "component", "add", "llvm-tools"], check=True)
    if not os.path.exists(path):
        sys.exit(f"pgo: no {path}: run `rustup component add llvm-tools`")
    return path


def cargo_build(target, target_dir, flag):
    # `--target` keeps build scripts and proc macros out of RUSTFLAGS: only
    # gazette and the crates it links are instrumented and optimised.
    env = dict(os.environ, CARGO_TARGET_DIR=target_dir)
    env["RUSTFLAGS"] = (env.get("RUSTFLAGS", "") + " " + flag).strip()
    subprocess.run(["cargo", "build", "--release", "--locked", "--target", target],
                   cwd=REPO, env=env, check=True)
    return os.path.join(target_dir, target, "release", "gazette")


def gazette(binary, *argv, cwd, must=True):
    result = subprocess.run([binary, *argv], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    if must and result.returncode != 0:
        sys.exit(f"pgo: `gazette {' '.join(argv)}` failed in {cwd}")


def train(binary, work):
    site = os.path.join(work, "site")
    subprocess.run([sys.executable, GEN, "--format", "gazette", "--entries", str(args.entries),
                    "--seed", str(args.seed), "--out", site], check=True, stdout=subprocess.DEVNULL)
    use_theme(site)
    for n in range(2):
        out = os.path.join(work, f"cold-{n}")
        say(f"training: cold build {n + 1} of {args.entries} entries")
        gazette(binary, "build", "--output", out, cwd=site)
    say("training: a rebuild with nothing changed, and `check`")
    gazette(binary, "build", "--output", os.path.join(work, "cold-1"), cwd=site)
    gazette(binary, "check", cwd=site)
    say("training: the sample site and the fixture sites of tests/testsuite")
    fixtures = os.path.join(REPO, "tests", "testsuite", "fixtures")
    # Copies, as the test suite builds them: a case that is not a whole site
    # (settings and outlets) laid over `base`, with this checkout's theme. A
    # build records its URLs beside `content/`, and the repository's files
    # must stay as they are.
    def layers(case):
        standalone = all(os.path.exists(os.path.join(case, "content", name))
                         for name in ("site.yaml", "outlets.yaml"))
        return [case] if standalone else [os.path.join(fixtures, "base"), case]

    sites = [(REPO, [REPO])] + [(case, layers(case))
                                for case in sorted(glob.glob(os.path.join(fixtures, "*")))]
    for n, (root, parts) in enumerate(sites):
        if not os.path.isdir(os.path.join(root, "content")):
            continue
        copy = os.path.join(work, f"fixture-{n}")
        for layer in parts:
            for name in ("content", "themes", "templates", "static", "published-urls.txt"):
                source, dest = os.path.join(layer, name), os.path.join(copy, name)
                if os.path.isdir(source):
                    shutil.copytree(source, dest, dirs_exist_ok=True)
                elif os.path.isfile(source):
                    os.makedirs(copy, exist_ok=True)
                    shutil.copy(source, dest)
        use_theme(copy, keep_own=True)
        gazette(binary, "build", cwd=copy, must=root == REPO)


def main():
    if not os.path.exists(GEN):
        sys.exit(f"pgo: no corpus generator at {GEN}")
    target = host()
    merge = profdata(target)
    generate = os.path.join(REPO, "target", "pgo-generate")
    # The same path each run, so that the instrumented build is reused; the
    # profile itself starts empty.
    raw = os.path.join(generate, "profiles")
    shutil.rmtree(raw, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="gazette-pgo-") as work:
        say("building the instrumented binary")
        instrumented = cargo_build(target, generate, f"-Cprofile-generate={raw}")
        train(instrumented, work)
        merged = os.path.join(work, "gazette.profdata")
        subprocess.run([merge, "merge", "-o", merged, raw], check=True)
        # A new path each run: cargo does not look into the file, and a
        # new profile must rebuild everything.
        say("building with the profile")
        binary = cargo_build(target, os.path.join(REPO, "target", "pgo"), f"-Cprofile-use={merged}")
    print(binary)


main()
