#!/usr/bin/env python3
"""A site of one issue whose one entry (or story) has a huge body: `links`
(lines of `[link n](https://example.com/n)`) or `prose` (words), to show
that every pass over a document is linear. An entry's body appears on its
page and in the feeds; a story's also on the issue page and in both emails.

usage: bench/big_body.py OUT_DIR --kind links|prose [--mb 2] [--story] [--theme themes]
then:  hyperfine 'target/release/gazette build --root OUT_DIR --output /dev/shm/big'
"""
import argparse, os, shutil

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--kind", choices=["links", "prose"], required=True)
ap.add_argument("--mb", type=float, default=2.0)
ap.add_argument("--story", action="store_true")
ap.add_argument("--theme", default=os.path.join(os.path.dirname(__file__), "..", "themes"))
args = ap.parse_args()

size = int(args.mb * 1024 * 1024)
lines, total, n = [], 0, 0
words = "the council approved a modest budget for the new harbor bridge after a long hearing".split()
while total < size:
    if args.kind == "links":
        line = f"[link {n}](https://example.com/{n})"
    else:
        line = " ".join(words[(n + i) % len(words)] for i in range(6))
    lines.append(line)
    total += len(line) + 1
    n += 1

content = os.path.join(args.out, "content")
os.makedirs(os.path.join(content, "2026-11-25"), exist_ok=True)
with open(os.path.join(content, "site.yaml"), "w") as f:
    f.write("title: Big\nbase_url: https://big.example/\ntimezone: UTC\n"
            "email:\n  utm_source: big\n  utm_medium: email\n")
with open(os.path.join(content, "outlets.yaml"), "w") as f:
    f.write("wire:\n  name: Wire\n  url: https://wire.example\n")
with open(os.path.join(content, "2026-11-25", "big.md"), "w") as f:
    if args.story:
        f.write("---\nkind: story\nheadline: A big story\ntags: [big]\n---\n")
    else:
        f.write("---\nheadline: A big entry\noutlet: wire\nurl: https://wire.example/big\n"
                "tags: [big]\n---\n")
    f.write("\n".join(lines) + "\n")
if not os.path.isdir(os.path.join(args.out, "themes")):
    shutil.copytree(args.theme, os.path.join(args.out, "themes"))
print(f"{args.out}: {'story' if args.story else 'entry'}, {args.kind}, {total / 1024 / 1024:.1f} MB, {n} lines")
