//! One broken site per kind of error, its full message pinned. Every error
//! names the file and line, says what is wrong and what to do, exits 1, and
//! leaves `public/` alone.

use crate::site_test::{Run, SiteTest, assert_contains};

/// Builds the fixture `errors/<case>`, which must fail with exit status 1
/// and leave no output behind.
fn failing_build(case: &str) -> Run {
    let site = SiteTest::new(&format!("errors/{case}"));
    let run = site.run(&["build"]);
    assert_eq!(
        run.code, 1,
        "expected the site to have errors:\n{}{}",
        run.stdout, run.stderr
    );
    assert!(
        run.stdout.is_empty(),
        "a failed build prints no report: {}",
        run.stdout
    );
    assert!(
        !site.root().join("public").exists(),
        "a failed build wrote output"
    );
    let check = site.run(&["check"]);
    assert_eq!(
        check.code, 1,
        "check must find the same errors:\n{}",
        check.stderr
    );
    run
}

macro_rules! error_case {
    ($name:ident, $what:literal) => {
        #[doc = $what]
        #[test]
        fn $name() {
            let run = failing_build(stringify!($name));
            insta::assert_snapshot!(stringify!($name), run.stderr);
        }
    };
}

error_case!(
    outlets_tab,
    "A tab indenting outlets.yaml: one error, the cause, not one `unknown outlet` per entry."
);
error_case!(
    missing_image,
    "An image beside the entry that is not there, with the file that is suggested."
);
error_case!(
    missing_raw_image,
    "An image of raw HTML beside the entry that is not there: the same error as a Markdown image's."
);
error_case!(
    broken_link,
    "A root-relative link to no page of the site, with the nearest page suggested."
);
error_case!(
    broken_file_link,
    "Links to Markdown files that are not there, each with the nearest file beside it suggested."
);
error_case!(
    tag_collision,
    "`C++` and `C#`, two tags that make one slug: both files and lines named."
);
error_case!(
    unknown_outlet,
    "An outlet key that is not in outlets.yaml, with the nearest one suggested."
);
error_case!(missing_headline, "An entry without its required headline.");
error_case!(
    malformed_yaml,
    "Broken YAML, reported at the line of the file, not of the YAML block."
);
error_case!(non_http_url, "A `javascript:` link, refused.");
error_case!(
    bad_issue_folder,
    "An issue folder whose name is not a real date."
);
error_case!(
    unknown_site_key,
    "A misspelt site.yaml key, with the right one suggested."
);
error_case!(
    paginate_zero,
    "`paginate: 0` in site.yaml: a page of a list shows at least one item."
);
error_case!(
    unknown_story,
    "An entry naming a story that does not exist."
);
error_case!(
    broken_story,
    "A story whose YAML does not parse: one error, the cause, not one `unknown story` per entry of it."
);
error_case!(
    duplicate_slug,
    "Two files of one issue whose names make the same slug."
);
error_case!(
    duplicate_page,
    "Two pages whose names make the same slug: both files named."
);
error_case!(
    duplicate_story,
    "Two stories named alike in different issues: story slugs are site-wide."
);
error_case!(
    template_syntax,
    "A syntax error in a site template, located in that file."
);
error_case!(
    template_runtime,
    "A template that reads a field that is not there, reported once for all pages."
);
error_case!(
    several,
    "Errors in config, content and templates, all reported in one run."
);

// The summary line counts every error of the run.
#[test]
fn several_errors_are_counted() {
    let run = failing_build("several");
    assert_contains(
        &run.stderr,
        "error: build failed with 7 errors; `public` was not changed",
    );
}

// A missing site.yaml explains how to get going.
#[test]
fn not_a_site() {
    let site = SiteTest::empty();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_contains(&run.stderr, "error: no `content/site.yaml` in `.`");
    assert_contains(
        &run.stderr,
        "help: run gazette in a site folder, or pass `--root DIR`",
    );
    assert!(
        !run.stderr.contains("theme"),
        "no noise after the first error:\n{}",
        run.stderr
    );
}

// Command-line mistakes exit with 2, as clap's own do.
#[test]
fn usage_errors_exit_2() {
    let site = SiteTest::new("");
    assert_eq!(site.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(site.run(&["frobnicate"]).code, 2);
}

// An empty site.yaml is not a site with defaults: title and base_url are required.
#[test]
fn empty_site_yaml_names_the_required_keys() {
    let site = SiteTest::new("");
    site.write("content/site.yaml", "");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_contains(&run.stderr, "error: missing `title`");
    assert_contains(&run.stderr, "error: missing `base_url`");
    // A syntax error says only that: no "missing" noise on top.
    site.write("content/site.yaml", "title: [\n");
    let run = site.run(&["build"]);
    assert_contains(&run.stderr, "error: invalid YAML");
    assert!(!run.stderr.contains("missing"), "{}", run.stderr);
}

// Without outlets.yaml, every entry's outlet is unknown: one error says
// so, naming the outlets the entries use, instead of one per entry.
#[test]
fn outlets_missing() {
    let site = SiteTest::new("");
    site.remove("content/outlets.yaml");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("outlets_missing", run.stderr);
}

// A mistyped theme is said at its line of site.yaml, with the theme's
// folder nearest in name, as an unknown key is.
#[test]
fn a_mistyped_theme_is_said_at_its_line() {
    let site = SiteTest::new("");
    let yaml = site.page_source("content/site.yaml");
    site.write("content/site.yaml", &format!("{yaml}theme: defualt\n"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = yaml.lines().count() + 1;
    assert_contains(&run.stderr, "error: theme `defualt` not found");
    assert_contains(&run.stderr, &format!("--> content/site.yaml:{line}:8"));
    assert_contains(&run.stderr, "^^^^^^^ did you mean `default`?");
    assert_contains(&run.stderr, "help: set `theme: default`");
}

// A layout that is not there, and templates that include one another in a
// loop, are said where the template names the other, as every other
// template error is: not as a bare message with Tera's debug list.
#[test]
fn missing_layouts_and_include_loops_are_said_at_their_line() {
    let site = SiteTest::new("");
    site.write(
        "templates/entry.html",
        "{% extends \"bse.html\" %}\n{% block main %}x{% endblock main %}\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error: template `templates/entry.html` extends `bse.html`, which is neither in `templates/` nor in the theme\n --> templates/entry.html:1:13",
    );
    assert_contains(&run.stderr, "^^^^^^^^ did you mean `base.html`?");

    site.write(
        "templates/entry.html",
        "{% extends \"base.html\" %}\n{% block main %}{% include \"partials/a.html\" %}{% endblock main %}\n",
    )
    .write("templates/partials/a.html", "A\n{% include \"partials/b.html\" %}\n")
    .write("templates/partials/b.html", "B\n{% include 'partials/a.html' %}\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error: templates include one another in a loop: `templates/entry.html` → `templates/partials/a.html` → `templates/partials/b.html` → `templates/partials/a.html`\n --> templates/partials/b.html:2:13",
    );
    assert!(!run.stderr.contains("[\""), "{}", run.stderr);

    // Layouts that extend each other: the loop is shown closed.
    site.remove("templates/partials/a.html");
    site.remove("templates/partials/b.html");
    site.write("templates/entry.html", "{% extends \"a.html\" %}\n")
        .write("templates/a.html", "{% extends \"b.html\" %}\n")
        .write("templates/b.html", "{% extends \"a.html\" %}\n");
    let run = site.run(&["build"]);
    assert_contains(
        &run.stderr,
        "error: templates extend one another in a loop: `templates/b.html` → `templates/a.html` → `templates/b.html`",
    );
}

// An override whose name is misspelt (`entyr.html`) left the theme's page
// as it was without a word: a file of templates/ that no page renders and
// no template names is a warning, with the theme's file it was likely
// meant to replace. What a template includes, and a file of components,
// are used.
#[test]
fn an_unused_template_is_a_warning() {
    let site = SiteTest::new("");
    site.write("templates/entyr.html", "{% extends \"base.html\" %}\n")
        .write("templates/partials/note.html", "<p>A note.</p>\n")
        .write(
            "templates/partials/mine.html",
            "{% component mine() %}<b>mine</b>{% endcomponent mine %}\n",
        )
        .write(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}{% include \"partials/note.html\" %}{% endblock main %}\n",
        );
    let run = site.build();
    assert_contains(
        &run.stderr,
        "warning: `templates/entyr.html` is not used: no page is rendered with it, and no template names it",
    );
    assert_contains(
        &run.stderr,
        "help: to replace the theme's `entry.html`, name it `templates/entry.html`",
    );
    assert_eq!(
        run.stderr.matches("is not used").count(),
        1,
        "{}",
        run.stderr
    );
}
