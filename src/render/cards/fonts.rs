//! The fonts of social cards: loaded from the theme's and the site's
//! `fonts/`, and measuring text into the lines that fit (`card_lines`).

use std::collections::BTreeSet;
use std::hash::{Hash as _, Hasher as _};
use std::sync::Arc;

use resvg::usvg::fontdb;
use tera::{Kwargs, State, TeraResult, Value};

use super::MISSING;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location, display_path};

/// The fonts cards are drawn with, loaded once per set of templates.
pub struct Fonts {
    pub(super) db: Arc<fontdb::Database>,
    /// Each face's bytes and index in its file, for measuring.
    pub(super) faces: Vec<Face>,
    /// A digest of every font file: a card drawn with other fonts differs.
    pub(super) digest: u64,
    /// The glyphs cards' text is drawn from, filled once.
    pub(super) glyphs: super::glyphs::Glyphs,
}

pub(super) struct Face {
    pub(super) family: String,
    bold: bool,
    pub(super) data: Arc<Vec<u8>>,
    pub(super) index: u32,
    /// Its id in `db`.
    pub(super) id: fontdb::ID,
    /// What it is shaped with, made the first time a card needs it.
    pub(super) shaper: std::sync::OnceLock<Option<super::plain::Shaper>>,
    /// The advance of each character below [`LATIN`] in font units, if
    /// the face has it; `None` when the face does not parse.
    latin: Option<Box<[Option<u16>]>>,
    units_per_em: u16,
}

/// The characters whose advances a face keeps, read once at load: Latin
/// and its extensions, most of what a card says.
const LATIN: u32 = 0x250;

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
                    Ok(bytes) => bytes,
                    Err(refused) => {
                        warnings.push(refused.diagnostic(&rel));
                        continue;
                    }
                };
                // The digest is of the file as it is, not as it is loaded.
                let mut this_file = std::collections::hash_map::DefaultHasher::new();
                (display_path(&rel), bytes.len(), &bytes).hash(&mut this_file);
                let bytes = Arc::new(super::kern::hide_unread(bytes));
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
                this_file.finish().hash(&mut hasher);
                for id in ids {
                    if let Some(info) = db.face(id) {
                        let (latin, units_per_em) = latin(&bytes, info.index);
                        faces.push(Face {
                            family: (info.families.first())
                                .map(|(name, _)| name.clone())
                                .unwrap_or_default(),
                            bold: info.weight.0 >= 600,
                            data: bytes.clone(),
                            index: info.index,
                            id,
                            shaper: Default::default(),
                            latin,
                            units_per_em,
                        });
                    }
                }
            }
        }
        // A family the card names that no font has (`Helvetica`), and the
        // generic ones (`sans-serif`), fall back to a font of `fonts/`, not
        // to the system's `Times New Roman`, which is not there: usvg
        // leaves out text it has no font for, without a word.
        let family = |serif: bool| {
            let is_serif = |f: &&Face| f.family.contains("Serif") && !f.family.contains("Sans");
            (faces.iter().find(|f| is_serif(f) == serif))
                .or(faces.first())
                .map(|f| f.family.clone())
        };
        if let (Some(serif), Some(sans)) = (family(true), family(false)) {
            db.set_serif_family(serif.clone());
            db.set_sans_serif_family(sans.clone());
            db.set_monospace_family(sans.clone());
            db.set_cursive_family(serif.clone());
            db.set_fantasy_family(serif);
        }
        let fonts = Fonts {
            db: Arc::new(db),
            faces,
            digest: hasher.finish(),
            glyphs: Default::default(),
        };
        (fonts, warnings)
    }

    /// Every face that parses, the face `family` (bold or not) first.
    fn ordered(&self, family: &str, bold: bool) -> Measure<'_> {
        let mut faces: Vec<&Face> = self.faces.iter().filter(|f| f.latin.is_some()).collect();
        faces.sort_by_key(|f| (f.family != family, f.bold != bold));
        Measure {
            faces: faces.into_iter().map(|f| (f, Default::default())).collect(),
        }
    }

    /// The characters of `text` no font has, each once.
    pub fn missing(&self, text: &str) -> BTreeSet<char> {
        let faces = self.ordered("", false);
        text.chars().filter(|&c| !faces.has(c)).collect()
    }

    /// The characters no font has in the headline, dek and date (its month
    /// and day names are the language's) of a card's `page`.
    pub fn missing_in(&self, page: &Value) -> BTreeSet<char> {
        let text = ["headline", "dek", "date_long"]
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
        let fallback = faces.advance(MISSING, size).unwrap_or(size);
        let measure = |c: char| faces.advance(c, size).unwrap_or(fallback);
        let text: String = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .map(|c| if faces.has(c) { c } else { MISSING })
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
                // A space the break fell on starts no line; after a word
                // carried over, it is that word's space.
                if c == ' ' && line.is_empty() {
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
}

/// Chinese, Japanese and Korean characters: a line may break between them.
/// The advances of the characters below [`LATIN`] in the face `index` of
/// `bytes` (`None` when it does not parse), and its units per em: one
/// parse of the face.
fn latin(bytes: &[u8], index: u32) -> (Option<Box<[Option<u16>]>>, u16) {
    let Ok(face) = ttf_parser::Face::parse(bytes, index) else {
        return (None, 1);
    };
    let advance = |c| face.glyph_hor_advance(face.glyph_index(char::from_u32(c)?)?);
    (Some((0..LATIN).map(advance).collect()), face.units_per_em())
}

/// The faces text is measured in, in order; each parsed the first time
/// a character past [`LATIN`] is asked of it.
struct Measure<'a> {
    faces: Vec<(&'a Face, std::cell::OnceCell<Option<ttf_parser::Face<'a>>>)>,
}

impl Measure<'_> {
    /// The advance of `c` at `size` px in the first face that has it.
    fn advance(&self, c: char, size: f32) -> Option<f32> {
        self.faces.iter().find_map(|(face, parsed)| {
            let units = match face.latin.as_ref()?.get(c as usize) {
                Some(&known) => known?,
                None => {
                    let parsed = parsed
                        .get_or_init(|| ttf_parser::Face::parse(&face.data, face.index).ok())
                        .as_ref()?;
                    parsed.glyph_hor_advance(parsed.glyph_index(c)?)?
                }
            };
            Some(f32::from(units) * size / f32::from(face.units_per_em))
        })
    }

    /// Whether a face has `c` (spaces and controls need none).
    fn has(&self, c: char) -> bool {
        c.is_whitespace() || c.is_control() || self.advance(c, 1.0).is_some()
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
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
