//! Social cards: a 1200×630 PNG for every issue and story page, the picture
//! a link shows where it is shared (`og:image`, `twitter:card =
//! summary_large_image`).
//!
//! The theme's `card.svg` template lays the card out, as any template can be
//! overridden by the site; gazette draws it with resvg, with the fonts of the
//! theme's `fonts/` and the site's `fonts/` and none of the system's, so a
//! card looks the same on every machine. SVG has no line breaking: the
//! template cuts text into lines with the `card_lines` filter, which
//! measures it in those fonts and ends what does not fit with "…". A
//! character no font has is drawn as "□" and reported, with the fonts to add.
//!
//! Each card's PNG carries a digest of what it was drawn from (its SVG and
//! the fonts): a build finds last build's card in the output folder and
//! reuses its bytes while the digest matches, so only changed cards are
//! drawn; within one render, a card that says what the one before said
//! (an issue's and its lead story's) is drawn once ([`Drawn`]).
//! `social_cards: false` in `site.yaml` turns them off.

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash as _, Hasher as _};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use resvg::usvg::{self, fontdb};
use tera::{Kwargs, State, TeraResult, Value};

use super::values::map;
use super::{Body, Job, Scope};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location, display_path};
use crate::site::{Site, long_date};

/// The template that lays a card out.
pub const TEMPLATE: &str = "card.svg";
/// A card's size in pixels: what Facebook, LinkedIn and X show largest.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// What stands in for a character no font has.
pub const MISSING: char = '□';

/// The output path of the card of the page at `page_path`.
pub fn path(page_path: &str) -> String {
    format!("{page_path}card.png")
}

/// A card for every issue and story, unless `social_cards: false`.
pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let site = scope.site;
    if !site.config.social_cards {
        return;
    }
    let story_card = |story: &crate::site::Story| {
        let date = story.date.date_naive();
        let page = card_value(
            site,
            "story",
            &story.path,
            date,
            &story.headline,
            &story.dek,
        );
        card_job(&story.path, page, display_path(&story.source))
    };
    // Each issue's card is followed by its lead story's, which often says
    // the same: one thread then draws it once (see [`Drawn`]), where two
    // far apart in the list would be drawn at the same time, one thread
    // waiting on the other.
    let mut done = vec![false; site.stories.len()];
    for issue in &site.issues {
        let lead = issue.stories.first().copied();
        let (headline, dek) = match lead.map(|s| &site.stories[s]) {
            Some(story) => (story.headline.as_str(), story.dek.as_str()),
            None => (issue.title.as_str(), ""),
        };
        let page = card_value(site, "issue", &issue.path, issue.date, headline, dek);
        // Its words are the lead story's, or the issue's own.
        let source = match lead.map(|s| &site.stories[s]) {
            Some(story) => display_path(&story.source),
            None => format!("content/{}", issue.date.format("%Y-%m-%d")),
        };
        jobs.push(card_job(&issue.path, page, source));
        if let Some(lead) = lead
            && !std::mem::replace(&mut done[lead], true)
        {
            jobs.push(story_card(&site.stories[lead]));
        }
    }
    for (story, done) in site.stories.iter().zip(done) {
        if !done {
            jobs.push(story_card(story));
        }
    }
}

fn card_job(page_path: &str, page: Value, source: String) -> Job {
    Job {
        path: path(page_path),
        body: Body::Card { source, page },
    }
}

/// The `page` of `card.svg`.
fn card_value(
    site: &Site,
    kind: &str,
    page_path: &str,
    date: chrono::NaiveDate,
    headline: &str,
    dek: &str,
) -> Value {
    map([
        ("kind", kind.into()),
        ("headline", headline.into()),
        ("dek", dek.into()),
        ("date", date.format("%Y-%m-%d").to_string().into()),
        ("date_long", long_date(date).into()),
        ("permalink", site.config.permalink(page_path).into()),
    ])
}

/// The fonts cards are drawn with, loaded once per set of templates.
pub struct Fonts {
    db: Arc<fontdb::Database>,
    /// Each face's bytes and index in its file, for measuring.
    faces: Vec<Face>,
    /// A digest of every font file: a card drawn with other fonts differs.
    digest: u64,
}

struct Face {
    family: String,
    bold: bool,
    data: Arc<Vec<u8>>,
    index: u32,
}

impl Fonts {
    /// The `.ttf`, `.otf` and `.ttc` files of the theme's `fonts/`, then the
    /// site's; a file that cannot be read or is no font is a warning.
    pub fn load(config: &Config) -> (Fonts, Vec<Diagnostic>) {
        let mut db = fontdb::Database::new();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        let mut warnings = Vec::new();
        let mut faces = Vec::new();
        for dir in [config.theme_dir().join("fonts"), config.root.join("fonts")] {
            let Ok(read) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<_> = read.filter_map(Result::ok).map(|e| e.path()).collect();
            files.sort();
            for file in files {
                let is_font = (file.extension().and_then(|e| e.to_str())).is_some_and(|e| {
                    matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc")
                });
                if !is_font {
                    continue;
                }
                let rel = file
                    .strip_prefix(&config.root)
                    .unwrap_or(&file)
                    .to_path_buf();
                let bytes = match config.fs.read(&file) {
                    Ok(bytes) => Arc::new(bytes),
                    Err(refused) => {
                        warnings.push(refused.diagnostic(&rel));
                        continue;
                    }
                };
                let ids = db.load_font_source(fontdb::Source::Binary(bytes.clone()));
                if ids.is_empty() {
                    warnings.push(
                        Diagnostic::warning(format!(
                            "`{}` is no font gazette can read",
                            display_path(&rel)
                        ))
                        .at(Location::file(&rel))
                        .help("social cards use TrueType and OpenType fonts (.ttf, .otf, .ttc)"),
                    );
                    continue;
                }
                (display_path(&rel), bytes.len()).hash(&mut hasher);
                bytes.hash(&mut hasher);
                for id in ids {
                    if let Some(info) = db.face(id) {
                        faces.push(Face {
                            family: (info.families.first())
                                .map(|(name, _)| name.clone())
                                .unwrap_or_default(),
                            bold: info.weight.0 >= 600,
                            data: bytes.clone(),
                            index: info.index,
                        });
                    }
                }
            }
        }
        let fonts = Fonts {
            db: Arc::new(db),
            faces,
            digest: hasher.finish(),
        };
        (fonts, warnings)
    }

    /// Every face parsed, the face `family` (bold or not) first: parsed
    /// once per text, not once per character.
    fn ordered(&self, family: &str, bold: bool) -> Vec<ttf_parser::Face<'_>> {
        let mut faces: Vec<&Face> = self.faces.iter().collect();
        faces.sort_by_key(|f| (f.family != family, f.bold != bold));
        (faces.into_iter())
            .filter_map(|f| ttf_parser::Face::parse(&f.data, f.index).ok())
            .collect()
    }

    /// The advance of `c` at `size` px in the first of `faces` that has it.
    fn advance(faces: &[ttf_parser::Face<'_>], c: char, size: f32) -> Option<f32> {
        faces.iter().find_map(|face| {
            let glyph = face.glyph_index(c)?;
            let advance = f32::from(face.glyph_hor_advance(glyph)?);
            Some(advance * size / f32::from(face.units_per_em()))
        })
    }

    /// Whether one of `faces` has `c` (spaces and controls need none).
    fn has(faces: &[ttf_parser::Face<'_>], c: char) -> bool {
        c.is_whitespace() || c.is_control() || Self::advance(faces, c, 1.0).is_some()
    }

    /// The characters of `text` no font has, each once.
    pub fn missing(&self, text: &str) -> BTreeSet<char> {
        let faces = self.ordered("", false);
        text.chars().filter(|&c| !Self::has(&faces, c)).collect()
    }

    /// The characters no font has in the headline and dek of a card's `page`.
    pub fn missing_in(&self, page: &Value) -> BTreeSet<char> {
        let text = ["headline", "dek"]
            .iter()
            .filter_map(|k| page.get_from_path(k).and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        self.missing(&text)
    }

    /// `text` as lines of at most `width` px at `size` px in `family`, at
    /// most `lines` of them, the last ended with "…" when text was left
    /// over; characters no font has become [`MISSING`]. Lines break at
    /// spaces, and inside a word only when the word is wider than a line
    /// (and always between CJK characters, which have no spaces).
    pub fn lines(
        &self,
        text: &str,
        family: &str,
        bold: bool,
        size: f32,
        width: f32,
        lines: usize,
    ) -> Vec<String> {
        let faces = self.ordered(family, bold);
        let fallback = Self::advance(&faces, MISSING, size).unwrap_or(size);
        let measure = |c: char| Self::advance(&faces, c, size).unwrap_or(fallback);
        let text: String = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .map(|c| if Self::has(&faces, c) { c } else { MISSING })
            .collect();
        let mut out: Vec<String> = Vec::new();
        let mut line = String::new();
        let mut line_width = 0.0;
        // Where the line may break last: after a space, or after a CJK character.
        let mut last_break: Option<usize> = None;
        let mut cut = false;
        for c in text.chars() {
            let w = measure(c);
            if line_width + w > width && !line.is_empty() {
                if out.len() + 1 == lines {
                    cut = true;
                    break;
                }
                // Break at the last break point, carrying the rest over.
                let (kept, carried) = match last_break {
                    Some(at) if at > 0 => (
                        line[..at].trim_end().to_owned(),
                        line[at..].trim_start().to_owned(),
                    ),
                    _ => (line.clone(), String::new()),
                };
                out.push(kept);
                line = carried;
                line_width = line.chars().map(measure).sum();
                last_break = None;
                if c == ' ' {
                    continue;
                }
            }
            line.push(c);
            line_width += w;
            if c == ' ' || is_cjk(c) {
                last_break = Some(line.len());
            }
        }
        if cut {
            // The last line ends in "…", cut back at a word if one is near.
            let ellipsis = measure('…');
            while line_width + ellipsis > width {
                let Some(c) = line.pop() else { break };
                line_width -= measure(c);
            }
            if let Some(space) = line.rfind(' ').filter(|&at| at * 3 > line.len() * 2) {
                line.truncate(space);
            }
            let line = line
                .trim_end()
                .trim_end_matches([',', ';', ':', '—', '–', '-']);
            out.push(format!("{line}…"));
        } else if !line.is_empty() {
            out.push(line);
        }
        out
    }

    /// Draws `svg` (a rendered `card.svg`) as a 1200×630 PNG that carries
    /// `digest` ([`Fonts::digest_of`]).
    pub fn draw(&self, svg: &str, digest: u64) -> Result<Vec<u8>, String> {
        let options = usvg::Options {
            fontdb: self.db.clone(),
            font_family: self
                .faces
                .first()
                .map(|f| f.family.clone())
                .unwrap_or_default(),
            // A card draws what its template says, and reads no file.
            resources_dir: None,
            image_href_resolver: usvg::ImageHrefResolver {
                resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
                resolve_string: Box::new(|_, _| None),
            },
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("no pixmap")?;
        // Opaque, whatever the template leaves clear: a card has no alpha.
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        let size = tree.size();
        let scale = resvg::tiny_skia::Transform::from_scale(
            WIDTH as f32 / size.width(),
            HEIGHT as f32 / size.height(),
        );
        resvg::render(&tree, scale, &mut pixmap.as_mut());
        encode(&pixmap, digest).map_err(|e| e.to_string())
    }

    /// What a card is drawn from: its SVG and the fonts.
    pub fn digest_of(&self, svg: &str) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (svg, self.digest, WIDTH, HEIGHT).hash(&mut hasher);
        hasher.finish()
    }
}

/// The cards one render drew last, by digest: an issue's card and its lead
/// story's often say the same (same headline, dek and date), and are drawn
/// once. A card another thread is drawing is waited for, not drawn again.
/// Only the last [`Drawn::KEPT`] are kept: the two come one after the other
/// in the list of jobs (see [`jobs`]), and a site's cards would not fit.
#[derive(Default)]
pub struct Drawn {
    cards: Mutex<Recent>,
}

type Slot = Arc<OnceLock<Result<Arc<Vec<u8>>, String>>>;

#[derive(Default)]
struct Recent {
    by_digest: HashMap<u64, Slot>,
    order: std::collections::VecDeque<u64>,
}

impl Drawn {
    const KEPT: usize = 32;

    /// The PNG of the card at `path` drawn from `svg`: last build's, read
    /// from `output`, while it was drawn from the same; else one this render
    /// drew just now; else drawn now.
    pub fn card(
        &self,
        fonts: &Fonts,
        output: &std::path::Path,
        path: &str,
        svg: &str,
    ) -> Result<Arc<Vec<u8>>, String> {
        let digest = fonts.digest_of(svg);
        if let Some(old) = last_drawn(output, path).filter(|old| digest_in(old) == Some(digest)) {
            return Ok(Arc::new(old));
        }
        let slot = {
            let mut recent = self.cards.lock().unwrap_or_else(PoisonError::into_inner);
            let Recent { by_digest, order } = &mut *recent;
            let slot = by_digest.entry(digest).or_insert_with(|| {
                order.push_back(digest);
                Slot::default()
            });
            let slot = slot.clone();
            while order.len() > Self::KEPT {
                if let Some(old) = order.pop_front() {
                    by_digest.remove(&old);
                }
            }
            slot
        };
        slot.get_or_init(|| fonts.draw(svg, digest).map(Arc::new))
            .clone()
    }
}

/// Chinese, Japanese and Korean characters: a line may break between them.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// The keyword of the PNG text chunk that holds a card's digest.
const DIGEST_KEY: &str = "gazette-card";

/// The opaque `pixmap` as an 8-bit PNG with a `tEXt` chunk holding
/// `digest`. Fast compression: the default spent half a build deflating.
fn encode(pixmap: &resvg::tiny_skia::Pixmap, digest: u64) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    // Opaque, so premultiplied colour is plain colour, written as it is.
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    // Runs of flat colour: each pixel like the one before.
    encoder.set_filter(png::Filter::Sub);
    encoder.add_text_chunk(DIGEST_KEY.to_owned(), format!("{digest:016x}"))?;
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixmap.data())?;
    writer.finish()?;
    Ok(out)
}

/// The bytes of the card last built at `path` in the output folder: a
/// regular file only, never one a link leads to (it may lead out of the site).
pub fn last_drawn(output: &std::path::Path, path: &str) -> Option<Vec<u8>> {
    let file = output.join(path);
    let meta = std::fs::symlink_metadata(&file).ok()?;
    (meta.is_file())
        .then(|| std::fs::read(&file).ok())
        .flatten()
}

/// The digest a card's PNG carries, if it is one gazette drew.
pub fn digest_in(png: &[u8]) -> Option<u64> {
    let mut at = 8;
    while at + 12 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().ok()?) as usize;
        let kind = &png[at + 4..at + 8];
        let data = png.get(at + 8..at + 8 + len)?;
        if kind == b"tEXt"
            && let Some(hex) = data
                .strip_prefix(DIGEST_KEY.as_bytes())
                .and_then(|d| d.strip_prefix(&[0]))
        {
            return u64::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok();
        }
        at += 12 + len;
    }
    None
}

/// The `card_lines` filter: `page.headline | card_lines(size=64, width=1040,
/// lines=3, family="DejaVu Serif", bold=true)`.
pub fn lines_filter(
    fonts: Arc<Fonts>,
) -> impl Fn(&str, Kwargs, &State) -> TeraResult<Value> + Send + Sync + 'static {
    move |text: &str, kwargs: Kwargs, _: &State| {
        let size: f64 = kwargs.get("size")?.unwrap_or(48.0);
        let width: f64 = kwargs.get("width")?.unwrap_or(1040.0);
        let lines: usize = kwargs.get("lines")?.unwrap_or(3);
        let family: &str = kwargs.get("family")?.unwrap_or("");
        let bold: bool = kwargs.get("bold")?.unwrap_or(false);
        let made = fonts.lines(text, family, bold, size as f32, width as f32, lines.max(1));
        Ok(Value::from(
            made.into_iter().map(Value::from).collect::<Vec<_>>(),
        ))
    }
}

/// The warning of a card some of whose text no font has.
pub fn missing_warning(
    config: &Config,
    card: &str,
    source: &str,
    missing: &BTreeSet<char>,
) -> Diagnostic {
    let shown: String = missing.iter().take(12).collect();
    Diagnostic::warning(format!(
        "the social card `{card}` shows {} character(s) as {MISSING}: no font of the theme has {shown}",
        missing.len()
    ))
    .at(Location::file(source))
    .code(CARD_GLYPHS)
    .help(format!(
        "add a font that has them (Noto Sans CJK for Japanese, Chinese and Korean) to `{}` or the site's `fonts/`",
        display_path(
            config
                .theme_dir()
                .join("fonts")
                .strip_prefix(&config.root)
                .unwrap_or(std::path::Path::new("fonts"))
        )
    ))
}

/// The code of [`missing_warning`], for `check.allow`.
pub const CARD_GLYPHS: &str = "card-glyphs";
