"""What the bench scripts share: the corpus generator of ../shared/bench, and
this checkout's theme put into a site, so that a corpus or a fixture copy
is built with the theme under test."""
import os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py")


def use_theme(site, keep_own=False):
    """This checkout's `themes/` in `site`, in place of the one it has
    (a corpus made by an older checkout); with `keep_own`, only where it
    has none (a fixture that brings its own)."""
    themes = os.path.join(site, "themes")
    if keep_own and os.path.isdir(themes):
        return
    shutil.rmtree(themes, ignore_errors=True)
    shutil.copytree(os.path.join(REPO, "themes"), themes)
