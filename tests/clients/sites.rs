//! The sites the checks read: the repository's A47 site, a generated site of
//! 300 entries, the A47 site with its story followed up on two more days,
//! and the fixture page broken on purpose, each built once by
//! the real binary for 127.0.0.1 and shared by every check.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use crate::common::{copy_tree, free_port};
use crate::{corpus, tools};

/// A site built for serving on 127.0.0.1:`port`.
pub struct Built {
    pub name: &'static str,
    pub out: PathBuf,
    pub port: u16,
    pub base_url: String,
    /// Pages every browser check opens: home, issue, story, entry, outlet,
    /// tag, archive, subscribe (and, on the generated site, page 2 of a tag).
    pub pages: Vec<String>,
    _dir: tempfile::TempDir,
}

/// Only one browser at a time: two cores, and Lighthouse measures speed.
pub static BROWSER: Mutex<()> = Mutex::new(());

pub fn build(name: &'static str, root: &Path, dir: tempfile::TempDir, pages: Vec<String>) -> Built {
    build_at(name, root, dir, pages, "2026-11-26T12:00:00Z")
}

/// [`build`] at the moment `now`, which decides the issues in the future.
pub fn build_at(
    name: &'static str,
    root: &Path,
    dir: tempfile::TempDir,
    pages: Vec<String>,
    now: &str,
) -> Built {
    let port = free_port();
    let base_url = format!("http://127.0.0.1:{port}/");
    let out = dir.path().join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&out)
        .args(["--base-url", &base_url])
        .env("GAZETTE_NOW", now)
        .output()
        .expect("gazette runs");
    assert!(
        run.status.success(),
        "{name} did not build:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    Built {
        name,
        out,
        port,
        base_url,
        pages,
        _dir: dir,
    }
}

/// The repository's A47 site, the generated 300-entry site, and the A47
/// site with a developing story.
pub fn sites() -> &'static [Built] {
    static SITES: OnceLock<Vec<Built>> = OnceLock::new();
    SITES.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let a47 = build(
            "a47",
            repo,
            tempfile::tempdir().expect("temp"),
            [
                "",
                "2026/11/25/",
                "2026/11/25/spacex-colossus/",
                "2026/11/25/tnw-colossus/",
                "outlets/tnw/",
                "tags/spacex/",
                "archive/",
                "subscribe/",
            ]
            .map(String::from)
            .to_vec(),
        );
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path().join("site");
        corpus::write(&root, 300);
        copy_theme(&root);
        // An email sign-up form on its home, issue, story and subscribe
        // pages, so that every check sees the form (the A47 site has none).
        let yaml = root.join("content/site.yaml");
        let settings = std::fs::read_to_string(&yaml).expect("site.yaml");
        std::fs::write(
            &yaml,
            format!("{settings}subscribe:\n  service: buttondown\n  username: a47\n"),
        )
        .expect("write site.yaml");
        let day = "2026/11/15/";
        // The 300th entry: every 25th has a fenced code block, so the checks
        // see highlighted code too.
        let entry = std::fs::read_dir(root.join("content/2026-11-15"))
            .expect("the last day")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.ends_with("-19.md"))
            .expect("the day's last entry")
            .replace(".md", "");
        let generated = build(
            "generated",
            &root,
            dir,
            vec![
                String::new(),
                day.to_owned(),
                format!("{day}story-11-15/"),
                format!("{day}{entry}/"),
                "outlets/tnw/".to_owned(),
                "tags/chips/".to_owned(),
                "archive/".to_owned(),
                // A middle page of a long list: Newer, Older, a gap.
                "tags/chips/page/2/".to_owned(),
                "subscribe/".to_owned(),
            ],
        );
        let code_page = generated.out.join(&generated.pages[3]).join("index.html");
        let html = std::fs::read_to_string(code_page).expect("the entry page");
        assert!(
            html.contains("class=\"code\""),
            "the checked entry page should show code"
        );
        vec![a47, generated, developing()]
    })
}

/// The A47 site two days later: its story followed up on 26 and 27
/// November, so that it is a developing story, grouped by day on its page
/// and under "Developing" on the later issues.
fn developing() -> Built {
    let (dir, root) = repo_copy();
    for (file, headline, outlet) in [
        (
            "2026-11-26/bloomberg-colossus-terms.md",
            "Anthropic's Colossus lease runs three years, filings show",
            "bloomberg",
        ),
        (
            "2026-11-26/techmeme-colossus-reaction.md",
            "Rivals react to SpaceX leasing Colossus 1 to Anthropic",
            "techmeme",
        ),
        (
            "2026-11-27/tnw-colossus-week.md",
            "A week after the Colossus deal, Grok's training moves to Colossus 2",
            "tnw",
        ),
    ] {
        let path = root.join("content").join(file);
        std::fs::create_dir_all(path.parent().expect("a day")).expect("mkdir");
        let slug = file
            .split('/')
            .next_back()
            .expect("a name")
            .trim_end_matches(".md");
        std::fs::write(
            &path,
            format!(
                "---\nheadline: \"{headline}\"\noutlet: {outlet}\nurl: https://example.com/{slug}\nstory: spacex-colossus\ntags: [spacex]\n---\nWhat the follow-up adds to the story, in the editor's words.\n"
            ),
        )
        .expect("write a follow-up");
    }
    // A word wider than a phone, in a follow-up's card on the story's page
    // and its issue's: the layout check sees that it wraps in its card.
    let follow_up = root.join("content/2026-11-26/techmeme-colossus-reaction.md");
    let text = std::fs::read_to_string(&follow_up).expect("the follow-up");
    std::fs::write(
        &follow_up,
        format!("{text}Weights hash: sha256-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.\n"),
    )
    .expect("write the long word");
    build_at(
        "developing",
        &root,
        dir,
        [
            "",
            "2026/11/26/",
            "2026/11/27/",
            "2026/11/25/spacex-colossus/",
        ]
        .map(String::from)
        .to_vec(),
        "2026-11-27T18:00:00Z",
    )
}

/// The fixture site whose `broken/` page breaks every rule once.
pub fn broken() -> &'static Built {
    static BROKEN: OnceLock<Built> = OnceLock::new();
    BROKEN.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path().join("site");
        copy_tree(&tools::clients_dir().join("fixtures/broken"), &root);
        copy_theme(&root);
        build("broken", &root, dir, vec!["broken/".to_owned()])
    })
}

/// A copy of the repository's A47 site (content, theme, and its record of
/// published URLs) in a new temporary folder, at `<dir>/site`, to change
/// before building.
pub fn repo_copy() -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("site");
    copy_tree(&repo.join("content"), &root.join("content"));
    std::fs::copy(
        repo.join("published-urls.txt"),
        root.join("published-urls.txt"),
    )
    .expect("the record of published URLs");
    copy_theme(&root);
    (dir, root)
}

pub fn copy_theme(root: &Path) {
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &root.join("themes/default"),
    );
}
