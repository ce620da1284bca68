#!/usr/bin/env python3
"""Reads a built site's feeds, feed.json, sitemap, robots.txt and email
editions the way Python's clients do; tests/clients/publish.rs calls it.

    python3 tests/clients/feeds.py feeds FILE...          # feedparser
    python3 tests/clients/feeds.py jsonfeed SCHEMA FILE... # jsonschema + formats
    python3 tests/clients/feeds.py sitemap XSD FILE...     # lxml (libxml2) + XSD
    python3 tests/clients/feeds.py robots FILE...          # urllib.robotparser
    python3 tests/clients/feeds.py email THEME FILE...     # html.parser

Prints one JSON object, {"results": [...]} with one result per FILE, on
stdout and nothing else. What the tools found never changes the exit code:
the Rust side judges. A non-zero exit with a message on stderr means the
check itself could not run (a missing module, a bad argument).
"""

import glob
import json
import os
import re
import sys
import time
import urllib.robotparser
from html.parser import HTMLParser


def fail(message, code=2):
    sys.stderr.write(f"feeds.py: {message}\n")
    sys.exit(code)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


# ----------------------------------------------------------------- feeds --


def iso(parsed):
    """A feedparser time tuple (always UTC) as RFC 3339, or None."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None


def feeds(files):
    import feedparser

    results = []
    for path in files:
        d = feedparser.parse(read_bytes(path))
        exc = d.get("bozo_exception")
        results.append(
            {
                "file": path,
                # feedparser's own verdict: 0 when the XML is well-formed and
                # nothing else went wrong (encoding, content type, namespaces).
                "bozo": int(bool(d.bozo)),
                "bozo_exception": f"{type(exc).__name__}: {exc}" if exc else None,
                # "rss20", "atom10", ...; "" when feedparser did not recognise it.
                "version": d.get("version", ""),
                "title": d.feed.get("title"),
                "entries": [
                    {
                        "title": e.get("title"),
                        "link": e.get("link"),
                        "id": e.get("id"),
                        # None when there is no date or feedparser could not
                        # read it (a bad date is not a bozo in feedparser).
                        "published": iso(e.get("published_parsed")),
                        "published_raw": e.get("published"),
                    }
                    for e in d.entries
                ],
            }
        )
    return results


# -------------------------------------------------------------- jsonfeed --


def jsonfeed(schema_path, files):
    import jsonschema

    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    checker = cls.FORMAT_CHECKER
    # Without the format-nongpl extras jsonschema silently skips these.
    missing = [f for f in ("uri", "date-time") if f not in checker.checkers]
    if missing:
        fail(
            f"jsonschema cannot check the formats {missing}: install "
            "'jsonschema[format-nongpl]' (bash .ci/setup-clients)",
            3,
        )
    validator = cls(schema, format_checker=checker)
    results = []
    for path in files:
        result = {"file": path, "errors": []}
        try:
            with open(path, encoding="utf-8") as f:
                feed = json.load(f)
        except ValueError as e:
            result["errors"].append(f"not JSON: {e}")
        else:
            for err in sorted(validator.iter_errors(feed), key=lambda e: list(e.absolute_path)):
                where = "/".join(str(p) for p in err.absolute_path) or "(root)"
                result["errors"].append(f"{where}: {err.message}")
        results.append(result)
    return {"validator": cls.__name__, "formats": sorted(checker.checkers), "results": results}


# --------------------------------------------------------------- sitemap --


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap(xsd_path, files):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(xsd_path))
    results = []
    for path in files:
        result = {"file": path, "not_well_formed": None, "schema_errors": [], "locs": []}
        try:
            # No DTDs, no entities, no network: the sitemap as a crawler reads it.
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            doc = etree.fromstring(read_bytes(path), parser)
        except etree.XMLSyntaxError as e:
            result["not_well_formed"] = str(e)
        else:
            if not schema.validate(doc):
                result["schema_errors"] = [
                    f"line {e.line}: {e.message}" for e in schema.error_log
                ]
            result["locs"] = [
                (loc.text or "") for loc in doc.iter(f"{SITEMAP_NS}loc")
            ]
        results.append(result)
    return results


# ---------------------------------------------------------------- robots --


def robots(files):
    results = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(lines)
        results.append(
            {
                "file": path,
                "sitemaps": parser.site_maps() or [],
                # Whether a crawler calling itself "*" may fetch the site root.
                "root_allowed": parser.can_fetch("*", "/"),
            }
        )
    return results


# ----------------------------------------------------------------- email --


def strip_css_comments(css):
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def preludes(css, depth_wanted=None):
    """(depth, prelude) of every rule and at-rule block in `css`: the text
    before each "{", with its nesting depth."""
    out, depth, start = [], 0, 0
    css = strip_css_comments(css)
    for i, ch in enumerate(css):
        if ch == "{":
            prelude = css[start:i].strip()
            # Declarations before a nested rule end at the last ";".
            prelude = prelude.rsplit(";", 1)[-1].strip()
            if depth_wanted is None or depth == depth_wanted:
                out.append((depth, prelude))
            depth += 1
            start = i + 1
        elif ch == "}":
            depth = max(depth - 1, 0)
            start = i + 1
        elif ch == ";" and depth == 0:
            start = i + 1  # @import ...; @charset ...;
    return out


CLASS_IN_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")


def classes_in(css):
    """Every class name a selector of `css` names."""
    names = set()
    for _, prelude in preludes(css):
        if not prelude.startswith("@"):
            names.update(CLASS_IN_SELECTOR.findall(prelude))
    return names


def template_styles(text):
    """The CSS of the <style> blocks of a Tera template, leaving out Tera and
    HTML comments (so Outlook's conditional <style> too)."""
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    return "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", text, flags=re.S | re.I))


def theme_classes(theme):
    """Classes the theme gives properties to: in the <style> of its email
    template, and in its stylesheets. Other classes are hooks."""
    names = set()
    with open(os.path.join(theme, "templates", "email.html"), encoding="utf-8") as f:
        names |= classes_in(template_styles(f.read()))
    for css in sorted(glob.glob(os.path.join(theme, "static", "**", "*.css"), recursive=True)):
        with open(css, encoding="utf-8") as f:
            names |= classes_in(f.read())
    return names


class EmailParser(HTMLParser):
    """The parts of an email edition the clients care about. Conditional
    comments (<!--[if mso]>...<![endif]-->) are comments here, as in every
    client but Outlook."""

    URL_ATTRS = ("href", "src", "srcset", "background", "action", "poster")

    def __init__(self, styled):
        super().__init__(convert_charrefs=True)
        self.styled = styled
        self.stylesheet_links = []
        self.styles = []  # the text of each <style> element
        self.in_style = False
        self.urls = []
        self.class_only = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").lower().split():
            self.stylesheet_links.append(a.get("href") or "")
        if tag == "style":
            self.styles.append("")
            self.in_style = True
        for name in self.URL_ATTRS:
            value = a.get(name)
            if value is None:
                continue
            if name == "srcset":
                for part in value.split(","):
                    if part.strip():
                        self.urls.append({"tag": tag, "attr": name, "url": part.split()[0]})
            else:
                self.urls.append({"tag": tag, "attr": name, "url": value})
        classes = set((a.get("class") or "").split())
        if classes & self.styled and not (a.get("style") or "").strip():
            line, _ = self.getpos()
            self.class_only.append(f'line {line}: <{tag} class="{a["class"]}">')

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "style":
            self.in_style = False

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.styles[-1] += data


def email(theme, files):
    styled = theme_classes(theme)
    results = []
    for path in files:
        raw = read_bytes(path)
        parser = EmailParser(styled)
        parser.feed(raw.decode("utf-8", errors="replace"))
        parser.close()
        # Rules a client has to apply from a <style> block, which Gmail's
        # mobile webmail, for one, never does: everything but the at-rules
        # that cannot be inlined.
        uninlined = [
            prelude
            for css in parser.styles
            for _, prelude in preludes(css, depth_wanted=0)
            if not prelude.lower().startswith(("@media", "@font-face"))
        ]
        results.append(
            {
                "file": path,
                "bytes": len(raw),
                "stylesheet_links": parser.stylesheet_links,
                "style_elements": len(parser.styles),
                "uninlined_rules": uninlined,
                "urls": parser.urls,
                "class_only": parser.class_only,
            }
        )
    return {"styled_classes": sorted(styled), "results": results}


# ------------------------------------------------------------------ main --


def main(argv):
    if len(argv) < 2:
        fail("usage: feeds.py feeds|jsonfeed|sitemap|robots|email [SCHEMA] FILE...")
    command, rest = argv[0], argv[1:]
    if command == "feeds":
        out = {"results": feeds(rest)}
    elif command == "jsonfeed":
        if len(rest) < 2:
            fail("jsonfeed needs SCHEMA FILE...")
        out = jsonfeed(rest[0], rest[1:])
    elif command == "sitemap":
        if len(rest) < 2:
            fail("sitemap needs XSD FILE...")
        out = {"results": sitemap(rest[0], rest[1:])}
    elif command == "robots":
        out = {"results": robots(rest)}
    elif command == "email":
        if len(rest) < 2:
            fail("email needs THEME_DIR FILE...")
        out = email(rest[0], rest[1:])
    else:
        fail(f"unknown command {command!r}")
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
