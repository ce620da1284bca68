//! Drawing a card: its SVG through resvg into a PNG that carries a digest
//! of what it was drawn from, and the cards a render may reuse.

use std::collections::{HashMap, VecDeque};
use std::hash::{Hash as _, Hasher as _};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use resvg::usvg;

use super::{Fonts, HEIGHT, WIDTH};

impl Fonts {
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
/// Only the last `KEPT` are kept: the two come one after the other
/// in the list of jobs (see [`super::jobs`]), and a site's cards would not fit.
#[derive(Default)]
pub struct Drawn {
    cards: Mutex<Recent>,
}

type Slot = Arc<OnceLock<Result<Arc<Vec<u8>>, String>>>;

#[derive(Default)]
struct Recent {
    by_digest: HashMap<u64, Slot>,
    order: VecDeque<u64>,
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
fn last_drawn(output: &std::path::Path, path: &str) -> Option<Vec<u8>> {
    let file = output.join(path);
    let meta = std::fs::symlink_metadata(&file).ok()?;
    (meta.is_file())
        .then(|| std::fs::read(&file).ok())
        .flatten()
}

/// The digest a card's PNG carries, if it is one gazette drew.
fn digest_in(png: &[u8]) -> Option<u64> {
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
