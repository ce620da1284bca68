//! The template objects of SPEC section 4, built once.
//!
//! Each entry, story and issue becomes one Tera [`Value`]; the pages that show
//! it (its issue, story, outlet, tags, archives, home) hold clones of that
//! value, which are reference counts, not copies. Nothing is serialised per
//! page.

pub mod developing;
mod memo;
mod site_value;

use chrono::{DateTime, FixedOffset};
use tera::{Map, Value};

pub use memo::Memo;
use memo::{ISSUE, ISSUE_SUMMARY, Keep, Made, OUTLET, PAGE, STORY_SUMMARY, TAG};

use crate::config::Config;
use crate::markdown::{Heading, truncate};
use crate::site::{
    Entry, Issue, IssueId, Outlet, Page, Site, Story, StoryId, Tag, long_date, urls,
};

/// Characters of a page's meta description.
const DESCRIPTION_LENGTH: usize = 160;

/// Builds a map value from `(key, value)` pairs, keeping their order.
pub fn map<const N: usize>(pairs: [(&'static str, Value); N]) -> Value {
    let mut m = Map::with_capacity(N);
    for (k, v) in pairs {
        m.insert(k.into(), v);
    }
    Value::from(m)
}

/// An HTML fragment. Themes print it with `| safe`, as in Zola: a plain
/// string, so that string filters on it (e.g. `replace`) behave as on text.
fn html(text: &str) -> Value {
    Value::from(text)
}

/// Every object of the site, as template values.
pub struct Values {
    pub site: Value,
    pub outlets: Vec<Value>,
    pub tags: Vec<Value>,
    pub issue_summaries: Vec<Value>,
    pub issues: Vec<Value>,
    pub stories: Vec<Value>,
    pub entries: Vec<Value>,
    pub pages: Vec<Value>,
}

impl Values {
    /// The values of every object of `site`, each built once and shared by
    /// every page that shows it.
    pub fn build(site: &Site) -> Values {
        Values::build_kept(site, None)
    }

    /// [`Values::build`], keeping the values of `memo` that did not change
    /// and leaving this run's in it.
    pub fn build_kept(site: &Site, memo: Option<&mut Memo>) -> Values {
        Values::begin(site, memo).finish(site)
    }

    /// The first step of [`Values::build_kept`]: the small values that the
    /// others embed, and `site`. A page of one entry can be rendered from
    /// them (see [`Begun::entry`]) before the rest is made.
    pub fn begin<'m>(site: &Site, memo: Option<&'m mut Memo>) -> Begun<'m> {
        let config = &site.config;
        let mut keep = Keep::new(memo);
        let outlets = keep.all(OUTLET, &site.outlets, |o| &o.key, |_, o| outlet(config, o));
        let tags = keep.all(TAG, &site.tags, |t| &t.slug, |_, t| tag(config, t));
        let issue_summaries = keep.all(
            ISSUE_SUMMARY,
            &site.issues,
            |issue| &issue.path,
            |_, issue| issue_summary(site, issue),
        );
        let story_summaries = keep.all(
            STORY_SUMMARY,
            &site.stories,
            |s| &s.path,
            |_, s| {
                map([
                    ("slug", s.slug.as_str().into()),
                    ("headline", s.headline.as_str().into()),
                    ("url", config.url(&s.path).into()),
                    ("permalink", config.permalink(&s.path).into()),
                ])
            },
        );
        let pages = keep.all(PAGE, &site.pages, |p| &p.path, |_, p| page(config, p));
        let site_value = site_value::of(
            config,
            &site.assets,
            &issue_summaries,
            &outlets,
            &tags,
            &pages,
        );
        Begun {
            keep,
            site: site_value,
            shared: Shared {
                outlets,
                tags,
                issue_summaries,
                story_summaries,
            },
            pages,
        }
    }
}

/// The values of a site half made: see [`Values::begin`].
pub struct Begun<'m> {
    keep: Keep<'m>,
    /// The `site` value every template gets.
    pub site: Value,
    shared: Shared,
    pages: Vec<Value>,
}

impl Begun<'_> {
    /// The value of `site`'s entry `e`, equal to the one [`Begun::finish`]
    /// gives it.
    pub fn entry(&self, site: &Site, e: &Entry) -> Value {
        entry(site, e, &self.shared)
    }

    /// The second step: every other value, the entries' and stories'
    /// first, then the issues' that hold them.
    pub fn finish(self, site: &Site) -> Values {
        let Begun {
            mut keep,
            site: site_value,
            shared,
            pages,
        } = self;
        let entries = keep.made_all(
            Made::Entry,
            &site.entries,
            |e| (e.path.as_str(), e.version),
            |e, v| {
                v.push(shared.outlets[e.outlet].clone());
                v.push(e.story.map(|s| shared.story_summaries[s].clone()).into());
                v.push(shared.issue_summaries[e.issue].clone());
                v.extend(e.tags.iter().map(|&t| shared.tags[t].clone()));
            },
            |e| entry(site, e, &shared),
        );
        let stories = keep.made_all(
            Made::Story,
            &site.stories,
            |s| (s.path.as_str(), s.version),
            |s, v| {
                v.push(shared.issue_summaries[s.issue].clone());
                v.extend(s.tags.iter().map(|&t| shared.tags[t].clone()));
                v.push(Value::from(s.coverage.len()));
                v.extend(s.coverage.iter().map(|&e| entries[e].clone()));
            },
            |s| story(site, s, &entries, &shared),
        );
        let issues = keep.all(
            ISSUE,
            &site.issues,
            |issue| &issue.path,
            |id, _| {
                let summaries = (&shared.issue_summaries[..], &shared.story_summaries[..]);
                issue(site, id, &stories, &entries, summaries)
            },
        );
        keep.finish();
        let Shared {
            outlets,
            tags,
            issue_summaries,
            ..
        } = shared;
        Values {
            site: site_value,
            outlets,
            tags,
            issue_summaries,
            issues,
            stories,
            entries,
            pages,
        }
    }
}

/// The small values that entries and stories embed.
struct Shared {
    outlets: Vec<Value>,
    tags: Vec<Value>,
    issue_summaries: Vec<Value>,
    story_summaries: Vec<Value>,
}

fn outlet(config: &Config, o: &Outlet) -> Value {
    map([
        ("key", o.key.as_str().into()),
        ("name", o.name.as_str().into()),
        ("tagline", o.tagline.as_str().into()),
        ("blurb", o.blurb.as_str().into()),
        ("url", o.url.as_str().into()),
        ("permalink", config.permalink(&urls::outlet(&o.key)).into()),
        ("count", o.entries.len().into()),
    ])
}

fn tag(config: &Config, t: &Tag) -> Value {
    map([
        ("name", t.name.as_str().into()),
        ("slug", t.slug.as_str().into()),
        ("permalink", config.permalink(&urls::tag(&t.slug)).into()),
        ("count", (t.entries.len() + t.stories.len()).into()),
    ])
}

fn entry(site: &Site, e: &Entry, shared: &Shared) -> Value {
    let config = &site.config;
    let summary_text = truncate(&e.summary_text, config.summary_length);
    let description = truncate(&e.summary_text, DESCRIPTION_LENGTH);
    map([
        ("kind", "entry".into()),
        ("slug", e.slug.as_str().into()),
        ("headline", e.headline.as_str().into()),
        ("title", e.headline.as_str().into()),
        ("description", description.into()),
        ("url", e.url.as_str().into()),
        ("permalink", config.permalink(&e.path).into()),
        ("outlet", shared.outlets[e.outlet].clone()),
        ("blurb", site.blurb(e).into()),
        ("summary", html(&e.summary_html)),
        ("summary_text", summary_text.into()),
        ("tags", Value::from(pick(&shared.tags, &e.tags))),
        (
            "story",
            e.story.map(|s| shared.story_summaries[s].clone()).into(),
        ),
        ("date", rfc3339(e.date).into()),
        (
            "date_long",
            long_date(&config.words, e.date.date_naive()).into(),
        ),
        ("issue", shared.issue_summaries[e.issue].clone()),
    ])
}

fn story(site: &Site, s: &Story, entries: &[Value], shared: &Shared) -> Value {
    let config = &site.config;
    let words = s.text.split_whitespace().count();
    let description = if s.dek.is_empty() {
        truncate(&s.text, DESCRIPTION_LENGTH)
    } else {
        s.dek.clone()
    };
    map([
        ("kind", "story".into()),
        ("slug", s.slug.as_str().into()),
        ("headline", s.headline.as_str().into()),
        ("title", s.headline.as_str().into()),
        ("description", description.into()),
        ("dek", s.dek.as_str().into()),
        ("content", html(&s.html)),
        // For a story shown inside an issue, under the story's own heading.
        (
            "content_nested",
            html(&crate::markdown::nest(&s.html, &format!("{}--", s.slug))),
        ),
        ("toc", toc(&s.toc)),
        ("coverage", Value::from(pick(entries, &s.coverage))),
        (
            "coverage_days",
            developing::coverage_days(site, s, entries, &shared.issue_summaries),
        ),
        // Coverage filed after the issue shown: none on the story's own page.
        ("later_coverage", 0.into()),
        ("tags", Value::from(pick(&shared.tags, &s.tags))),
        ("date", rfc3339(s.date).into()),
        (
            "date_long",
            long_date(&config.words, s.date.date_naive()).into(),
        ),
        ("issue", shared.issue_summaries[s.issue].clone()),
        ("url", config.url(&s.path).into()),
        ("permalink", config.permalink(&s.path).into()),
        ("reading_minutes", words.div_ceil(200).max(1).into()),
        ("card", card(config, &s.path)),
        // Its coverage as an Atom feed, to follow the story.
        (
            "feed",
            config
                .permalink(&crate::site::urls::list_feed(&s.path))
                .into(),
        ),
    ])
}

fn issue(
    site: &Site,
    id: IssueId,
    stories: &[Value],
    entries: &[Value],
    (issue_summaries, story_summaries): (&[Value], &[Value]),
) -> Value {
    let issue = &site.issues[id];
    let mut m = issue_summary(site, issue).into_map().unwrap_or_default();
    let description = if !issue.note_text.is_empty() {
        truncate(&issue.note_text, DESCRIPTION_LENGTH)
    } else if let Some(&lead) = issue.stories.first() {
        let s = &site.stories[lead];
        if s.dek.is_empty() {
            s.headline.clone()
        } else {
            format!("{} — {}", s.headline, s.dek)
        }
    } else {
        site.config.description.clone()
    };
    let (developing, others) = developing::follow_ups(site, id, entries, story_summaries);
    let extra = [
        ("kind", Value::from("issue")),
        ("card", card(&site.config, &issue.path)),
        ("description", description.into()),
        ("note", html(&issue.note_html)),
        (
            "stories",
            Value::from(
                issue
                    .stories
                    .iter()
                    .map(|&s| as_of(site, issue, &stories[s], s, entries))
                    .collect::<Vec<_>>(),
            ),
        ),
        ("entries", Value::from(pick(entries, &issue.entries))),
        ("developing", Value::from(developing)),
        ("other_entries", Value::from(pick(entries, &others))),
        // Issues are newest first: the previous issue is the older one.
        ("prev", issue_summaries.get(id + 1).cloned().into()),
        (
            "next",
            id.checked_sub(1)
                .and_then(|n| issue_summaries.get(n))
                .cloned()
                .into(),
        ),
    ];
    for (k, v) in extra {
        m.insert(k.into(), v);
    }
    Value::from(m)
}

fn page(config: &Config, p: &Page) -> Value {
    let description = if p.description.is_empty() {
        truncate(&p.text, DESCRIPTION_LENGTH)
    } else {
        p.description.clone()
    };
    map([
        ("kind", "page".into()),
        ("slug", p.slug.as_str().into()),
        ("title", p.title.as_str().into()),
        ("description", description.into()),
        ("content", html(&p.html)),
        ("toc", toc(&p.toc)),
        ("url", config.url(&p.path).into()),
        ("permalink", config.permalink(&p.path).into()),
    ])
}

/// The absolute URL of the social card of the page at `path`; none when
/// `social_cards` is off.
fn card(config: &Config, path: &str) -> Value {
    if config.social_cards {
        config.permalink(&crate::render::cards::path(path)).into()
    } else {
        Value::none()
    }
}

fn issue_summary(site: &Site, issue: &Issue) -> Value {
    let config = &site.config;
    let lead = issue
        .stories
        .first()
        .map(|&s| Value::from(site.stories[s].headline.as_str()));
    map([
        ("date", issue.date.format("%Y-%m-%d").to_string().into()),
        ("date_long", long_date(&config.words, issue.date).into()),
        ("title", issue.title.as_str().into()),
        ("dated", issue.dated.into()),
        ("url", config.url(&issue.path).into()),
        ("permalink", config.permalink(&issue.path).into()),
        ("story_count", issue.stories.len().into()),
        ("entry_count", count_entries(site, issue).into()),
        ("lead", lead.into()),
    ])
}

/// Entries shown in an issue: the coverage of its stories filed by its day,
/// and its own entries.
fn count_entries(site: &Site, issue: &Issue) -> usize {
    issue
        .stories
        .iter()
        .map(|&s| coverage_by(site, issue, s).count())
        .sum::<usize>()
        + issue.entries.len()
}

/// The coverage of story `story` filed by `issue`'s day: what the issue
/// published, as its email was sent.
pub fn coverage_by<'a>(
    site: &'a Site,
    issue: &'a Issue,
    story: StoryId,
) -> impl Iterator<Item = usize> + 'a {
    site.stories[story]
        .coverage
        .iter()
        .copied()
        .filter(move |&e| site.issues[site.entries[e].issue].date <= issue.date)
}

/// A story as `issue` shows it: its coverage filed by the issue's day, and
/// how many reports came later (`later_coverage`), so that a past issue
/// stays as it was sent and links to what followed.
fn as_of(site: &Site, issue: &Issue, value: &Value, story: StoryId, entries: &[Value]) -> Value {
    let coverage: Vec<usize> = coverage_by(site, issue, story).collect();
    let later = site.stories[story].coverage.len() - coverage.len();
    if later == 0 {
        return value.clone();
    }
    let mut m = value.clone().into_map().unwrap_or_default();
    m.insert("coverage".into(), Value::from(pick(entries, &coverage)));
    m.insert("later_coverage".into(), later.into());
    Value::from(m)
}

fn pick(values: &[Value], ids: &[usize]) -> Vec<Value> {
    ids.iter().map(|&id| values[id].clone()).collect()
}

fn toc(headings: &[Heading]) -> Value {
    Value::from(
        headings
            .iter()
            .map(|h| {
                map([
                    ("level", h.level.into()),
                    ("id", h.id.as_str().into()),
                    ("title", h.title.as_str().into()),
                ])
            })
            .collect::<Vec<_>>(),
    )
}

/// A date-time as RFC 3339 to the second, in its own offset.
pub fn rfc3339(date: DateTime<FixedOffset>) -> String {
    date.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}
