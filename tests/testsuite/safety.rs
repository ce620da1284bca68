//! Safe by default: gazette never deletes what it did not write, never reads
//! or publishes a file from outside the site, and gives up at once on
//! files that are not files. Each case ran against throwaway folders and
//! destroyed or published something before these promises were kept.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::site_test::{NOW, Run, SiteTest, assert_contains};

/// A value the tests put in the environment of the build: it must never
/// reach the output or a message, as a CI deploy token must not.
const SECRET: &str = "gazette-test-secret-4f1c9a";

/// `gazette ARGS` in the site with [`SECRET`] in its environment, killed
/// after 20 s so that a hang fails the test instead of the suite.
fn run_guarded(site: &SiteTest, args: &[&str]) -> (Run, Duration) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .current_dir(site.root())
        .env("GAZETTE_NOW", NOW)
        .env("GAZETTE_DEPLOY_TOKEN", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gazette runs");
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("gazette {args:?} hung for 20 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let elapsed = started.elapsed();
    let out = child.wait_with_output().expect("output");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    (run, elapsed)
}

/// Every file under `dir`, as text, joined: to search for what must not be there.
fn all_text(dir: &Path) -> String {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| String::from_utf8_lossy(&std::fs::read(e.path()).unwrap_or_default()).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[track_caller]
fn assert_refused(run: &Run, what: &str) {
    assert_eq!(
        run.code, 1,
        "{what} must be refused with exit 1:\n{}",
        run.stderr
    );
    assert_contains(&run.stderr, "refusing to write the site to");
}

// A folder of the user's, with files gazette did not write, is refused and
// keeps every file; so are the site's repository, theme and content folders.
#[test]
fn output_folders_gazette_did_not_make_are_refused() {
    let site = SiteTest::new("");
    site.write("mydocs/notes.txt", "notes")
        .write("mydocs/.hidden", "hidden")
        .write("mydocs/report.pdf", "%PDF-1.7");
    site.write(".git/HEAD", "ref: refs/heads/main\n");
    let run = site.run(&["build", "--output", "mydocs"]);
    assert_refused(&run, "a folder of the user's");
    assert_contains(
        &run.stderr,
        "`mydocs`: it is not empty, and gazette did not make it",
    );
    for kept in ["mydocs/notes.txt", "mydocs/.hidden", "mydocs/report.pdf"] {
        assert!(site.root().join(kept).exists(), "{kept} was deleted");
    }
    for target in [
        ".git",
        "themes",
        "themes/default",
        "content/2026-11-25",
        "templates",
        "static",
        "fonts",
        ".",
    ] {
        let run = site.run(&["build", "--output", target]);
        assert_refused(&run, target);
    }
    assert!(site.root().join(".git/HEAD").exists());
    assert!(
        site.root()
            .join("themes/default/templates/base.html")
            .exists()
    );
    assert!(site.root().join("content/2026-11-25/colossus.md").exists());
    // A new folder, or an empty one, becomes gazette's.
    std::fs::create_dir(site.root().join("empty")).expect("mkdir");
    site.build_with(&["--output", "empty"]);
    assert!(site.root().join("empty/.gazette-manifest").is_file());
}

// An output that is a symlink is refused: building must not empty the
// folder it points to.
#[cfg(unix)]
#[test]
fn output_that_is_a_symlink_is_refused() {
    let site = SiteTest::new("");
    site.write("victim/data.sqlite", "rows");
    std::os::unix::fs::symlink(site.root().join("victim"), site.root().join("public"))
        .expect("symlink");
    let run = site.run(&["build"]);
    assert_refused(&run, "a symlinked public/");
    assert_contains(&run.stderr, "it is a symbolic link");
    assert_eq!(
        std::fs::read_to_string(site.root().join("victim/data.sqlite"))
            .ok()
            .as_deref(),
        Some("rows")
    );
}

// Files a host needs beside the site (CNAME, .nojekyll, .well-known/) stay
// through rebuilds and removals; a page that would replace one is an error.
#[test]
fn files_gazette_did_not_write_are_left_alone() {
    let site = SiteTest::new("");
    site.build();
    site.write("public/CNAME", "news.example\n")
        .write("public/.nojekyll", "")
        .write("public/.well-known/security.txt", "Contact: x\n")
        .write("public/2026/11/24/tnw-chips/notes.txt", "mine");
    site.remove("content/2026-11-24/tnw-chips.md");
    // Its URLs are not what this test is about (see `published`).
    site.remove(gazette::published::FILE);
    site.build();
    assert!(
        !site.exists("2026/11/24/tnw-chips/index.html"),
        "stale page kept"
    );
    for kept in [
        "CNAME",
        ".nojekyll",
        ".well-known/security.txt",
        "2026/11/24/tnw-chips/notes.txt",
    ] {
        assert!(site.exists(kept), "{kept} was deleted");
    }
    // The same file from static/ is adopted; a different one is refused.
    site.write("static/CNAME", "news.example\n");
    site.write("static/.nojekyll", "");
    site.build();
    site.write("static/.well-known/security.txt", "Contact: y\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "public/.well-known/security.txt`: the site makes a file there, and this one was not written by gazette",
    );
    assert_eq!(site.page(".well-known/security.txt"), "Contact: x\n");
    // Once static/ holds the files, the site owns them: removing them there
    // removes them from the output.
    site.remove("public/.well-known/security.txt");
    site.build();
    site.remove("static/CNAME");
    site.build();
    assert!(!site.exists("CNAME"));
    assert!(site.exists(".nojekyll") && site.exists(".well-known/security.txt"));
}

// Symlinks out of the site are never read: not from static/ (the build's
// environment, /etc/passwd), not as an entry, not as the templates folder,
// not through `theme:`. Nothing of them reaches the output or a message.
#[cfg(unix)]
#[test]
fn files_outside_the_site_are_never_read() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("temp");
    std::fs::write(outside.path().join("credentials"), SECRET).expect("write");
    std::fs::create_dir_all(outside.path().join("theme/templates")).expect("mkdir");
    std::fs::write(outside.path().join("theme/templates/index.html"), SECRET).expect("write");
    std::fs::create_dir_all(outside.path().join("templates")).expect("mkdir");
    std::fs::write(
        outside.path().join("templates/index.html"),
        "{% include \"credentials\" %}",
    )
    .expect("write");

    type Make<'a> = &'a dyn Fn(&SiteTest);
    let cases: [(&str, Make); 6] = [
        ("static/env.txt", &|s| {
            std::fs::create_dir_all(s.root().join("static")).expect("mkdir");
            symlink("/proc/self/environ", s.root().join("static/env.txt")).expect("symlink");
        }),
        ("static/passwd.txt", &|s| {
            std::fs::create_dir_all(s.root().join("static")).expect("mkdir");
            symlink(
                outside.path().join("credentials"),
                s.root().join("static/passwd.txt"),
            )
            .expect("symlink");
        }),
        ("content/2026-11-25/photo.jpg", &|s| {
            symlink(
                outside.path().join("credentials"),
                s.root().join("content/2026-11-25/photo.jpg"),
            )
            .expect("symlink");
        }),
        ("content/2026-11-25/env.md", &|s| {
            symlink(
                "/proc/self/environ",
                s.root().join("content/2026-11-25/env.md"),
            )
            .expect("symlink");
        }),
        ("templates", &|s| {
            symlink(outside.path().join("templates"), s.root().join("templates")).expect("symlink");
        }),
        ("theme", &|s| {
            let yaml = std::fs::read_to_string(s.root().join("content/site.yaml")).expect("read");
            s.write(
                "content/site.yaml",
                &format!("{yaml}theme: ../{}/theme\n", outside.path().display()),
            );
        }),
    ];
    for (what, make) in cases {
        let site = SiteTest::new("");
        make(&site);
        let (run, _) = run_guarded(&site, &["build"]);
        assert_eq!(run.code, 1, "{what} must fail the build:\n{}", run.stderr);
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(
            !said.contains(SECRET),
            "{what}: the secret is in a message:\n{said}"
        );
        assert!(
            !said.contains("root:x:0"),
            "{what}: /etc/passwd is in a message"
        );
        let published = all_text(&site.root().join("public"));
        assert!(
            !published.contains(SECRET),
            "{what}: the secret was published"
        );
        assert!(
            !site.root().join("public").exists(),
            "{what}: a failed build wrote output"
        );
        if what == "theme" {
            assert_contains(
                &run.stderr,
                "`theme` must be the name of a folder of `themes/`",
            );
        } else {
            assert_contains(&run.stderr, "this is a link to something outside the site");
            assert_contains(&run.stderr, what);
        }
    }
}

// A link that stays inside the site is read like the file it points to.
#[cfg(unix)]
#[test]
fn links_inside_the_site_are_followed() {
    let site = SiteTest::new("");
    site.write("assets/logo.txt", "logo");
    std::fs::create_dir_all(site.root().join("static")).expect("mkdir");
    std::os::unix::fs::symlink("../assets/logo.txt", site.root().join("static/logo.txt"))
        .expect("symlink");
    site.build();
    assert_eq!(site.page("logo.txt"), "logo");
}

// A FIFO and a link to /dev/zero among the content are errors at once,
// not a build that hangs or eats the machine's memory.
#[cfg(unix)]
#[test]
fn pipes_and_devices_are_refused_at_once() {
    let site = SiteTest::new("");
    let fifo = site.root().join("content/2026-11-25/pipe.md");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", site.root().join("content/2026-11-25/zero.md"))
        .expect("symlink");
    let (run, elapsed) = run_guarded(&site, &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error: this is a named pipe (FIFO), not a file\n --> content/2026-11-25/pipe.md",
    );
    assert_contains(&run.stderr, "content/2026-11-25/zero.md");
    println!("FIFO and /dev/zero refused in {elapsed:?}");

    // In the site, a device is refused for what it is.
    let site = SiteTest::new("");
    std::fs::create_dir_all(site.root().join("static")).expect("mkdir");
    let fifo = site.root().join("static/feed.css");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let (run, _) = run_guarded(&site, &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "static/feed.css");
}

// A file over `max_file_mb` is an error naming it; the setting raises it.
#[test]
fn oversized_files_are_refused() {
    let site = SiteTest::new("");
    let body = "A sentence of the summary goes here.\n".repeat(30_000);
    site.write(
        "content/2026-11-25/huge.md",
        &format!("---\nheadline: Huge\noutlet: tnw\nurl: https://t.example/huge\n---\n{body}"),
    );
    let yaml = std::fs::read_to_string(site.root().join("content/site.yaml")).expect("read");
    site.write("content/site.yaml", &format!("{yaml}max_file_mb: 1\n"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error: this file is 1.1 MB, over the limit of 1.0 MB\n --> content/2026-11-25/huge.md",
    );
    site.write("content/site.yaml", &format!("{yaml}max_file_mb: 2\n"));
    site.build();
}

// 200 KB of nested brackets in front matter is refused at once, and the
// message quotes a short excerpt, not the whole line.
#[test]
fn hostile_front_matter_is_refused_quickly() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/deep.md",
        &format!("---\nheadline: {}\n---\n", "[".repeat(60_000)),
    );
    site.write(
        "content/2026-11-25/huge.md",
        &format!("---\nheadline: x\nblurb: {}\n---\n", "y".repeat(200_000)),
    );
    let (run, elapsed) = run_guarded(&site, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error: brackets nest more than 32 levels deep\n --> content/2026-11-25/deep.md:2:43",
    );
    assert_contains(
        &run.stderr,
        "error: front matter is 200 KB, over the limit of 64 KB\n --> content/2026-11-25/huge.md:1:1",
    );
    assert!(
        run.stderr.len() < 2_000,
        "the messages quote too much:\n{}",
        run.stderr
    );
    println!("hostile front matter refused in {elapsed:?}");
}

// `email.unsubscribe` must be a link or an email service's placeholder:
// a `javascript:` link would go to every reader's inbox.
#[test]
fn unsubscribe_must_be_a_link_or_a_placeholder() {
    let site = SiteTest::new("");
    let yaml = std::fs::read_to_string(site.root().join("content/site.yaml")).expect("read");
    site.write(
        "content/site.yaml",
        &format!("{yaml}email:\n  unsubscribe: \"javascript:alert(5)\"\n"),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error: invalid `email.unsubscribe` `javascript:alert(5)`",
    );
    assert_contains(&run.stderr, "--> content/site.yaml:");
    site.write(
        "content/site.yaml",
        &format!("{yaml}email:\n  unsubscribe: \"*|UNSUB|*\"\n"),
    );
    site.build();
    assert_contains(&site.page("2026/11/25/email.html"), "href=\"*|UNSUB|*\"");
}

/// What is wrong with a file, and how each is made.
enum Defect {
    NotUtf8,
    Nul,
    ControlCharacter,
    Folder,
    LinkLoop,
    #[cfg(unix)]
    Socket,
}

// Every file the site reads (site.yaml, outlets.yaml, an entry, an issue's
// note, a page) fails the same way when it is not text, or not a file: a
// `file:line` error that says what is wrong, exit 1, and public/ as it
// was. Before, a bad byte in site.yaml reported a missing `title`, a NUL
// in an entry was published, and a loop of links in site.yaml read as no
// site at all. A byte order mark is read past, everywhere.
#[test]
fn every_content_file_is_content() {
    let files = [
        "content/site.yaml",
        "content/outlets.yaml",
        "content/2026-11-25/tnw-colossus.md",
        "content/2026-11-25/_issue.md",
        "content/pages/about.md",
    ];
    let mut defects = vec![
        Defect::NotUtf8,
        Defect::Nul,
        Defect::ControlCharacter,
        Defect::Folder,
        Defect::LinkLoop,
    ];
    #[cfg(unix)]
    defects.push(Defect::Socket);
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/_issue.md",
        "---\ntitle: The day\n---\nA note.\n",
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nWho we are.\n",
    );
    assert_eq!(site.build().code, 0);
    let built = site.output_files();
    for rel in files {
        let good = site.page_source(rel);
        let path = site.root().join(rel);
        for defect in &defects {
            // The line a defect in the text is on: after the file's own.
            let next = good.lines().count() + 1;
            let (message, line) = match defect {
                Defect::NotUtf8 => {
                    let mut bytes = good.clone().into_bytes();
                    bytes.extend_from_slice(b"caf\xe9 \xff\n");
                    std::fs::write(&path, bytes).expect("write");
                    ("this file is not UTF-8 text", Some(next))
                }
                Defect::Nul => {
                    std::fs::write(&path, format!("{good}a\u{0}b\n")).expect("write");
                    ("this file holds a NUL character", Some(next))
                }
                Defect::ControlCharacter => {
                    // In the YAML: the first line of each, front matter or not.
                    let (head, rest) = good.split_once('\n').expect("lines");
                    let bad = if head == "---" {
                        let (key, more) = rest.split_once('\n').expect("a key");
                        format!("---\n{key}\u{7}\n{more}")
                    } else {
                        format!("{head}\u{7}\n{rest}")
                    };
                    std::fs::write(&path, bad).expect("write");
                    let line = if good.starts_with("---") { 2 } else { 1 };
                    ("a control character (U+0007) is not allowed", Some(line))
                }
                Defect::Folder => {
                    std::fs::remove_file(&path).expect("remove");
                    std::fs::create_dir(&path).expect("mkdir");
                    ("this is a folder, not a file", None)
                }
                Defect::LinkLoop => {
                    std::fs::remove_file(&path).expect("remove");
                    let other = path.with_extension("loop");
                    symlink(&other, &path);
                    symlink(&path, &other);
                    ("a loop of symbolic links", None)
                }
                #[cfg(unix)]
                Defect::Socket => {
                    std::fs::remove_file(&path).expect("remove");
                    let _socket = std::os::unix::net::UnixListener::bind(&path).expect("bind");
                    ("this is a socket, not a file", None)
                }
            };
            let (run, took) = run_guarded(&site, &["build"]);
            let at = match line {
                Some(line) => format!("{rel}:{line}"),
                None => rel.to_owned(),
            };
            assert_eq!(run.code, 1, "{rel} {message}:\n{}", run.stderr);
            assert!(
                run.stderr.contains(message) && run.stderr.contains(&format!("--> {at}")),
                "{rel}: expected `{message}` at `{at}`, got:\n{}",
                run.stderr
            );
            assert!(
                !run.stderr.contains("missing `"),
                "{rel}: the cause, not what follows from it:\n{}",
                run.stderr
            );
            assert!(took < Duration::from_secs(10), "{rel}: {took:?}");
            assert_eq!(site.output_files(), built, "{rel}: public/ changed");
            // Back to good.
            if path.is_dir() && !path.is_symlink() {
                std::fs::remove_dir(&path).expect("rmdir");
            } else {
                std::fs::remove_file(&path).expect("remove");
            }
            let _ = std::fs::remove_file(path.with_extension("loop"));
            std::fs::write(&path, &good).expect("write");
        }
        // A byte order mark (Notepad writes one) is no defect: dropped, in
        // every file alike, and the site is the same.
        std::fs::write(&path, format!("\u{feff}{good}")).expect("write");
        let run = site.build();
        assert_eq!(run.code, 0, "{rel} with a BOM:\n{}", run.stderr);
        assert_eq!(site.output_files(), built, "{rel} with a BOM");
        // Nor are lines that end in CR LF (Windows) or CR alone (classic
        // Mac OS), which CommonMark and YAML read as line ends too.
        for end in ["\r\n", "\r"] {
            std::fs::write(&path, good.replace('\n', end)).expect("write");
            let run = site.build();
            assert_eq!(run.code, 0, "{rel} with {end:?}:\n{}", run.stderr);
            assert_eq!(site.output_files(), built, "{rel} with {end:?}");
        }
        std::fs::write(&path, &good).expect("write");
    }
}

// A draft saved as `embargo.MD` (a Windows editor) or `notes.markdown`
// (Jekyll's habit) was copied to public/ as a file beside the issue,
// `draft: true` and all, and no page showed it; a patch's and an editor's
// leftovers (`.orig`, `.rej`, `.BAK`, `.kate-swp`) went out the same way.
// Now the Markdown is an error that names the `.md` name to give it, and
// the leftovers are never published.
#[test]
fn markdown_by_another_name_is_never_published() {
    let site = SiteTest::new("");
    site.build();
    let built = site.output_files();
    let draft = "---\nheadline: Embargoed\noutlet: tnw\nurl: https://thenextweb.com/e\ndraft: true\n---\nSecret until Monday.\n";
    site.write("content/2026-11-25/embargo.MD", draft).write(
        "content/pages/Contact.markdown",
        "---\ntitle: Contact\n---\nMail us.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (file, name) in [
        ("content/2026-11-25/embargo.MD", "embargo.md"),
        ("content/pages/Contact.markdown", "Contact.md"),
    ] {
        assert_contains(
            &run.stderr,
            &format!("error: `{file}` is Markdown that gazette does not read"),
        );
        assert_contains(&run.stderr, &format!("rename it `{name}`"));
    }
    assert_eq!(site.output_files(), built, "public/ changed");

    std::fs::remove_file(site.root().join("content/2026-11-25/embargo.MD")).expect("remove");
    std::fs::remove_file(site.root().join("content/pages/Contact.markdown")).expect("remove");
    for leftover in [
        "tnw-colossus.md.orig",
        "tnw-colossus.md.rej",
        "tnw-colossus.md.BAK",
        "tnw-colossus.md.kate-swp",
        "notes.TMP",
    ] {
        site.write(&format!("content/2026-11-25/{leftover}"), draft);
    }
    let run = site.build();
    assert_eq!(
        site.output_files(),
        built,
        "a leftover was published:\n{}",
        run.stderr
    );
}

fn symlink(target: &Path, link: &Path) {
    #[cfg(unix)]
    std::os::unix::fs::symlink(target, link).expect("symlink");
    #[cfg(windows)]
    std::os::windows::fs::symlink_file(target, link).expect("symlink");
}

// An output folder that cannot be made (under `/proc`, where not even root
// writes) is an error of the machine: exit 2, said plainly, and nothing
// left behind.
#[cfg(target_os = "linux")]
#[test]
fn an_output_that_cannot_be_written_is_exit_2() {
    let site = SiteTest::new("");
    let (run, _) = run_guarded(&site, &["build", "--output", "/proc/gazette-test/public"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_contains(&run.stderr, "cannot create folder `/proc/gazette-test`");
    assert!(!site.root().join("public").exists());
}

// A file whose name is not UTF-8 (Latin-1, from an old zip) is said to be
// so, for an entry and a file beside it alike; it used to read as "this
// file name has no letters or digits", and the file beside was not
// published, with advice for pages.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_said_to_be() {
    use std::os::unix::ffi::OsStrExt;
    let site = SiteTest::new("");
    site.build();
    let built = site.output_files();
    let issue = site.root().join("content/2026-11-25");
    let entry = "---\nheadline: Caf\noutlet: tnw\nurl: https://thenextweb.com/cafe\n---\nText.\n";
    std::fs::write(
        issue.join(std::ffi::OsStr::from_bytes(b"caf\xe9.md")),
        entry,
    )
    .expect("write");
    std::fs::write(
        issue.join(std::ffi::OsStr::from_bytes(b"ph\xf6to.png")),
        "png",
    )
    .expect("write");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr
            .matches("error: this file's name is not UTF-8 text")
            .count(),
        2,
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("no letters or digits"),
        "{}",
        run.stderr
    );
    assert_eq!(site.output_files(), built);
}

/// A password written where it does not belong reaches no terminal: not
/// from a `password:` line of site.yaml that is not even YAML (the line
/// shown under the error keeps its key alone), not from a `--smtp` URL
/// that carries one (clap's own error repeated the whole URL).
#[test]
fn a_password_written_in_the_wrong_place_is_never_printed() {
    let site = SiteTest::new("");
    let yaml = std::fs::read_to_string(site.root().join("content/site.yaml")).expect("read");
    site.write(
        "content/site.yaml",
        &format!("{yaml}smtp:\n  host: 127.0.0.1\n  password: @{SECRET}\n"),
    );
    for args in [
        &["build"][..],
        &["check"],
        &["send", "--proof", "editor@a47.example"],
    ] {
        let (run, _) = run_guarded(&site, args);
        let said = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code, 1, "{args:?}:\n{said}");
        assert_contains(&said, "password: ********");
        assert!(
            !said.contains(SECRET),
            "{args:?} printed the password:\n{said}"
        );
    }

    let site = SiteTest::new("");
    for url in [
        format!("smtp://editor:{SECRET}@127.0.0.1:2525"),
        format!("smtp://editor:{SECRET} @"),
        format!("ftp://editor:{SECRET}@127.0.0.1"),
    ] {
        let (run, _) = run_guarded(
            &site,
            &["send", "--proof", "editor@a47.example", "--smtp", &url],
        );
        let said = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code, 2, "{url}:\n{said}");
        assert_contains(&said, "invalid `--smtp`");
        assert!(!said.contains(SECRET), "{url} was printed:\n{said}");
    }
}
