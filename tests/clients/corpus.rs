//! A generated newsletter site, deterministic: N entries, 20 a day, a lead
//! story a day with its coverage, outlets, tags, Markdown with links, lists,
//! quotes and (every 25th entry) a fenced code block. Big enough to show
//! what one small fixture cannot: long lists cut into pages (`paginate:
//! 10`, so a tag has ~7 pages, an outlet 3, the archive 2), many cards,
//! code on pages.

use std::fmt::Write as _;
use std::path::Path;

use chrono::{Duration, NaiveDate};

const OUTLETS: &[(&str, &str, &str)] = &[
    (
        "bloomberg",
        "Bloomberg",
        "Technology business news, market impacts, and innovation trends.",
    ),
    (
        "tnw",
        "TNW",
        "Opinionated AI coverage for general audiences.",
    ),
    (
        "techmeme",
        "Techmeme",
        "Curated tech headlines including AI stories.",
    ),
    (
        "verge",
        "The Verge",
        "Consumer technology, culture and the companies behind them.",
    ),
    (
        "wired",
        "Wired",
        "Long reads on technology and its effects on society.",
    ),
    (
        "ars",
        "Ars Technica",
        "In-depth technical reporting and analysis.",
    ),
    (
        "ft",
        "Financial Times",
        "Global business and economic news.",
    ),
    (
        "reuters",
        "Reuters",
        "Wire reporting from around the world.",
    ),
    (
        "mit-tr",
        "MIT Technology Review",
        "Research, policy and emerging technology.",
    ),
    (
        "register",
        "The Register",
        "Enterprise IT news with an irreverent voice.",
    ),
    (
        "axios",
        "Axios",
        "Short, smart briefs on business and policy.",
    ),
    (
        "semafor",
        "Semafor",
        "Global news with the reporter's view set apart.",
    ),
];

const TAGS: &[&str] = &[
    "chips",
    "policy",
    "open-source",
    "infrastructure",
    "research",
    "funding",
    "safety",
    "robotics",
    "health",
    "education",
];

const SUBJECTS: &[&str] = &[
    "A chip maker",
    "Regulators in Brussels",
    "An open-source lab",
    "A cloud provider",
    "Researchers in Tokyo",
    "A robotics start-up",
    "Hospital networks",
    "A school district",
];
const VERBS: &[&str] = &[
    "unveils",
    "delays",
    "doubles",
    "questions",
    "opens",
    "cuts",
    "tests",
    "funds",
];
const OBJECTS: &[&str] = &[
    "a new inference accelerator",
    "its model licensing rules",
    "a data center in Ohio",
    "a benchmark for agents",
    "a safety evaluation suite",
    "a tutoring assistant",
    "a compute-sharing deal",
    "an on-device language model",
];

/// A tiny deterministic generator, so every run writes the same site.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() % items.len()]
    }
}

/// Writes a site of `entries` entries into `root` (which gets `content/`).
/// The old name of the last day's first entry, an alias of it.
pub const RENAMED: &str = "renamed-entry";

pub fn write(root: &Path, entries: usize) {
    let content = root.join("content");
    std::fs::create_dir_all(&content).expect("mkdir");
    std::fs::write(
        content.join("site.yaml"),
        "title: Generated Daily\ndescription: A generated newsletter for gazette's client checks.\nbase_url: https://generated.example/\neditor: The Editors\ntimezone: America/Chicago\nsummary_length: 200\npaginate: 10\n",
    )
    .expect("site.yaml");
    let mut outlets = String::new();
    for (key, name, tagline) in OUTLETS {
        let _ = write!(
            outlets,
            "{key}:\n  name: {name}\n  tagline: \"{tagline}\"\n  blurb: \"{name} is one of the sources the editors read every day.\"\n  url: https://{key}.example.com\n"
        );
    }
    std::fs::write(content.join("outlets.yaml"), outlets).expect("outlets.yaml");
    std::fs::create_dir_all(content.join("pages")).expect("mkdir");
    std::fs::write(
        content.join("pages/about.md"),
        "---\ntitle: About\n---\nA generated site.\n\n## How it is made\n\nBy a generator.\n\n## Why\n\nTo check pages with real clients.\n\n## Who\n\nThe editors.\n",
    )
    .expect("about.md");

    let mut rng = Lcg(47);
    // The last day is 2026-11-15 whatever the size (before the checks'
    // "now", so that no issue is scheduled): 300 entries start on
    // 2026-11-01, 10,000 in 2025.
    let days = entries.div_ceil(20);
    let first =
        NaiveDate::from_ymd_opt(2026, 11, 15).expect("a date") - Duration::days(days as i64 - 1);
    let mut written = 0;
    for day in 0..days {
        let date = first + Duration::days(day as i64);
        let dir = content.join(date.format("%Y-%m-%d").to_string());
        std::fs::create_dir_all(&dir).expect("mkdir");
        // Unique across years; this year's as the checks name them.
        let story = match date.format("%Y").to_string().as_str() {
            "2026" => format!("story-{}", date.format("%m-%d")),
            _ => format!("story-{}", date.format("%Y-%m-%d")),
        };
        let headline = sentence(&mut rng);
        std::fs::write(
            dir.join(format!("{story}.md")),
            format!(
                "---\nkind: story\nheadline: \"{headline}\"\ndek: Here's what it means for you.\ntags: [{}]\n---\n{}\n\n## What happened\n\n{}\n\n## The Context\n\n{}\n\n## Takeaway\n\n{}\n",
                rng.pick(TAGS),
                paragraph(&mut rng, 3),
                paragraph(&mut rng, 4),
                paragraph(&mut rng, 4),
                paragraph(&mut rng, 2),
            ),
        )
        .expect("story");
        if day % 3 == 0 {
            std::fs::write(
                dir.join("_issue.md"),
                format!(
                    "---\n---\nA note from the editors: {}\n",
                    paragraph(&mut rng, 1)
                ),
            )
            .expect("_issue.md");
        }
        for n in 0..20.min(entries - written) {
            written += 1;
            let (key, _, _) = OUTLETS[rng.next() % OUTLETS.len()];
            let tags = [rng.pick(TAGS), rng.pick(TAGS)];
            let story_line = if n < 6 {
                format!("story: {story}\n")
            } else {
                String::new()
            };
            let mut body = paragraph(&mut rng, 5);
            if n % 4 == 0 {
                body.push_str(
                    "\n\n- one point\n- *another* point\n\n> A quote from the article.\n",
                );
            }
            if written % 25 == 0 {
                body.push_str("\n\n```rust\nuse std::collections::HashMap;\n\nfn main() {\n    let mut seen: HashMap<&str, usize> = HashMap::new();\n    *seen.entry(\"gazette\").or_default() += 1;\n    println!(\"{seen:?}\");\n}\n```\n");
            }
            // The last day's first entry was renamed: its old URL redirects.
            let aliases = if day + 1 == days && n == 0 {
                format!("aliases: [\"/{}/{RENAMED}/\"]\n", date.format("%Y/%m/%d"))
            } else {
                String::new()
            };
            std::fs::write(
                dir.join(format!("{key}-{n:02}.md")),
                format!(
                    "---\nheadline: \"{}\"\noutlet: {key}\nurl: https://{key}.example.com/news/{date}-{n}\n{story_line}{aliases}tags: [{}, {}]\nweight: {n}\n---\n{body} [Source](https://{key}.example.com/).\n",
                    sentence(&mut rng),
                    tags[0],
                    tags[1],
                ),
            )
            .expect("entry");
        }
    }
}

fn sentence(rng: &mut Lcg) -> String {
    format!(
        "{} {} {}",
        rng.pick(SUBJECTS),
        rng.pick(VERBS),
        rng.pick(OBJECTS)
    )
}

fn paragraph(rng: &mut Lcg, sentences: usize) -> String {
    (0..sentences)
        .map(|_| format!("{}, and **analysts** expect more to follow.", sentence(rng)))
        .collect::<Vec<_>>()
        .join(" ")
}
