//! Drawing a card: its SVG into palette indices (read by `plain.rs` when
//! it is plain, else by usvg) or, when it holds more than flat rectangles
//! and text, through resvg into RGBA; then into a PNG that carries a
//! digest of what it was drawn from. And the cards a render may reuse.

use std::collections::{HashMap, VecDeque};
use std::hash::{Hash as _, Hasher as _};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use resvg::usvg;

use super::{Fonts, HEIGHT, WIDTH};

impl Fonts {
    /// Draws `svg` (a rendered `card.svg`) as a 1200×630 PNG that carries
    /// `digest` ([`Fonts::digest_of`]).
    pub fn draw(&self, svg: &str, digest: u64) -> Result<Vec<u8>, String> {
        let size = (WIDTH, HEIGHT);
        // Flat rectangles and text are drawn straight into palette indices,
        // read without usvg when the card is plain.
        let indexed = |shapes: &[super::indexed::Shape]| {
            INDEXED.with_borrow_mut(|canvas| {
                super::indexed::paint(&self.glyphs, &self.db, shapes, canvas, size).then(|| {
                    let pixels = Pixels::Indexed {
                        palette: &canvas.palette,
                        indices: &canvas.indices,
                    };
                    encode(WIDTH, HEIGHT, pixels, digest).map_err(|e| e.to_string())
                })
            })
        };
        if let Some(png) = super::plain::shapes(self, svg, size).and_then(|s| indexed(&s)) {
            return png;
        }
        let tree = usvg::Tree::from_str(svg, &self.options()).map_err(|e| e.to_string())?;
        let scale = resvg::tiny_skia::Transform::from_scale(
            WIDTH as f32 / tree.size().width(),
            HEIGHT as f32 / tree.size().height(),
        );
        if let Some(png) =
            super::indexed::shapes(&self.glyphs, &tree, scale, size).and_then(|s| indexed(&s))
        {
            return png;
        }
        // The canvas of the last card this thread drew in RGBA, 3 MB, made
        // white and opaque (a card has no alpha) unless the card's paper
        // covers it whole: a new canvas zeroed, then filled, took two
        // passes and a fresh mapping of memory.
        let mut canvas = CANVAS.take();
        let bytes = WIDTH as usize * HEIGHT as usize * 4;
        if canvas.len() != bytes || !super::rects::covers(&tree, scale, WIDTH, HEIGHT) {
            canvas.clear();
            canvas.resize(bytes, 255);
        }
        let size = resvg::tiny_skia::IntSize::from_wh(WIDTH, HEIGHT).ok_or("no pixmap")?;
        let mut pixmap = resvg::tiny_skia::Pixmap::from_vec(canvas, size).ok_or("no pixmap")?;
        if !self.glyphs.draw(&tree, scale, &mut pixmap.as_mut()) {
            resvg::render(&tree, scale, &mut pixmap.as_mut());
        }
        let png = encode_pixmap(&pixmap, digest).map_err(|e| e.to_string());
        CANVAS.set(pixmap.take());
        png
    }

    /// How usvg reads a card.
    pub(super) fn options(&self) -> usvg::Options<'static> {
        usvg::Options {
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
        }
    }

    /// What a card is drawn from: its SVG, the fonts, and how gazette
    /// draws and stores it (`DRAWING`, and `IMAGES_AND_FALLBACK` for a card
    /// that version changed: the others keep their digest, and are not
    /// written, and uploaded, again).
    pub fn digest_of(&self, svg: &str) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (svg, self.digest, WIDTH, HEIGHT, DRAWING).hash(&mut hasher);
        if svg.contains("<image") || self.falls_back(svg) {
            IMAGES_AND_FALLBACK.hash(&mut hasher);
        }
        hasher.finish()
    }

    /// Whether `svg` names a font family that no face has, or a generic
    /// one: drawn in a face of `fonts/` since [`IMAGES_AND_FALLBACK`].
    fn falls_back(&self, svg: &str) -> bool {
        let named = svg.split("font-family").skip(1).filter_map(|rest| {
            let rest = rest.trim_start_matches([' ', '=', ':']);
            let quote = rest.chars().next()?;
            let list = match quote {
                '"' | '\'' => rest[1..].split(quote).next()?,
                _ => rest.split([';', '"', '\'']).next()?,
            };
            Some(list)
        });
        named.flat_map(|list| list.split(',')).any(|family| {
            let family = family.trim().trim_matches(['"', '\'']);
            !self.faces.iter().any(|face| face.family == family)
        })
    }
}

/// Cards that show an image, or text in a family no font has: drawn since
/// gazette draws both (before, it left them out).
const IMAGES_AND_FALLBACK: u32 = 5;

thread_local! {
    /// The canvas each thread draws its cards on in RGBA, kept between cards.
    static CANVAS: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    /// The one it draws them on in palette indices.
    static INDEXED: std::cell::RefCell<super::indexed::Indexed> = Default::default();
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

/// How cards are drawn and stored: one more each time that changes, so a
/// build draws again the cards an older gazette left in the output (2:
/// PNGs with a palette; 3: text from glyph masks; 4: the `Up` filter). A
/// change that only some cards show is hashed for those alone, as
/// [`IMAGES_AND_FALLBACK`] is.
const DRAWING: u32 = 4;

/// The keyword of the PNG text chunk that holds a card's digest.
const DIGEST_KEY: &str = "gazette-card";

/// A card's pixels as its PNG stores them.
enum Pixels<'a> {
    /// RGB triples, and each pixel's index in them.
    Indexed {
        palette: &'a [u8],
        indices: &'a [u8],
    },
    /// Each pixel's RGB.
    Rgb(&'a [u8]),
}

/// The opaque `pixmap` as a PNG with a `tEXt` chunk holding `digest`:
/// with a palette when it has at most 256 colours, as a card of flat
/// colours and anti-aliased text does (some 80), else as RGB. A palette
/// holds each pixel in one byte instead of four: a quarter of the bytes
/// to filter and deflate, and a file a third the size.
fn encode_pixmap(
    pixmap: &resvg::tiny_skia::Pixmap,
    digest: u64,
) -> Result<Vec<u8>, png::EncodingError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    // Opaque, so premultiplied colour is plain colour, written as it is.
    match palette(pixmap.data(), width as usize) {
        Some((palette, indices)) => {
            let pixels = Pixels::Indexed {
                palette: &palette,
                indices: &indices,
            };
            encode(width, height, pixels, digest)
        }
        None => {
            let rgb: Vec<u8> = (pixmap.data().chunks_exact(4))
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            encode(width, height, Pixels::Rgb(&rgb), digest)
        }
    }
}

/// `pixels`, `width` × `height`, as a PNG with a `tEXt` chunk holding
/// `digest`. Fast compression: the default spent half a build deflating.
fn encode(
    width: u32,
    height: u32,
    pixels: Pixels<'_>,
    digest: u64,
) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    // Bands of flat colour and lines of text: most rows are like the one
    // above. `Up` gave the smallest and fastest of the filters tried on
    // cards (26 KB in 0.30 ms; `Sub` 32 KB in 0.35 ms; adaptive 22 KB in
    // 0.49 ms).
    encoder.set_filter(png::Filter::Up);
    encoder.add_text_chunk(DIGEST_KEY.to_owned(), format!("{digest:016x}"))?;
    let data = match pixels {
        Pixels::Indexed { palette, indices } => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(palette);
            indices
        }
        Pixels::Rgb(rgb) => {
            encoder.set_color(png::ColorType::Rgb);
            rgb
        }
    };
    let mut writer = encoder.write_header()?;
    writer.write_image_data(data)?;
    writer.finish()?;
    Ok(out)
}

/// The palette (RGB triples) and each pixel's index in it, of the opaque
/// RGBA `pixels`, `width` to a row; `None` past 256 colours.
fn palette(pixels: &[u8], width: usize) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut palette = Vec::with_capacity(3 * 256);
    let mut index: rustc_hash::FxHashMap<u32, u8> = Default::default();
    // Appended to, not zeroed first: a zeroed vector was a memset of the
    // whole card, as long as the rest of the pass.
    let mut indices = Vec::with_capacity(pixels.len() / 4);
    let row_bytes = width * 4;
    for (y, row) in pixels.chunks_exact(row_bytes).enumerate() {
        let at = y * width;
        // Most rows are the one above them (paper, bands): copy its indices.
        if y > 0 && row == &pixels[(y - 1) * row_bytes..y * row_bytes] {
            indices.extend_from_within(at - width..at);
            continue;
        }
        // Most pixels are the one before them: eight such at a time take
        // one compare, and any other one compare, no lookup.
        let (mut last, mut last_at) = (u32::MAX, 0);
        let mut run = [0; 32];
        for eight in row.chunks(32) {
            if last != u32::MAX && eight == run {
                indices.extend_from_slice(&[last_at; 8]);
                continue;
            }
            for pixel in eight.chunks_exact(4) {
                let colour = u32::from_le_bytes([pixel[0], pixel[1], pixel[2], 0]);
                if colour != last {
                    last_at = match index.get(&colour) {
                        Some(&i) => i,
                        None => {
                            let i = u8::try_from(index.len()).ok()?;
                            index.insert(colour, i);
                            palette.extend_from_slice(&pixel[..3]);
                            i
                        }
                    };
                    last = colour;
                    for four in run.chunks_exact_mut(4) {
                        four.copy_from_slice(pixel);
                    }
                }
                indices.push(last_at);
            }
        }
    }
    Some((palette, indices))
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

#[cfg(test)]
mod tests {
    use resvg::tiny_skia::{Color, Pixmap, PremultipliedColorU8};

    use super::{digest_in, encode_pixmap};

    /// The colour type and RGB pixels of a PNG, as a browser reads it.
    fn decode(png: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().expect("a PNG");
        let stored = reader.info().color_type;
        let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
        let frame = reader.next_frame(&mut pixels).expect("a frame");
        pixels.truncate(frame.buffer_size());
        (stored, pixels)
    }

    fn rgb(pixmap: &Pixmap) -> Vec<u8> {
        (pixmap.data().chunks_exact(4))
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect()
    }

    // An upgrade draws again only the cards that drawing images and unknown
    // families changed: a card in the theme's families and without an
    // image keeps the digest it had, so it is not written or uploaded again.
    #[test]
    fn only_cards_with_images_or_unknown_families_change_digest() {
        use std::hash::{Hash as _, Hasher as _};
        let mut config = crate::config::tests::config();
        config.root = env!("CARGO_MANIFEST_DIR").into();
        config.fs = crate::fs::SiteFs::new(&config.root, 64);
        let (fonts, _) = super::Fonts::load(&config);
        let before = |svg: &str| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            (svg, fonts.digest, super::WIDTH, super::HEIGHT, 4u32).hash(&mut hasher);
            hasher.finish()
        };
        let text = |family: &str| format!(r#"<svg><text font-family="{family}">A</text></svg>"#);
        for svg in [text("DejaVu Serif"), text("'DejaVu Sans'")] {
            assert_eq!(fonts.digest_of(&svg), before(&svg), "{svg}");
        }
        let image = r#"<svg><image href="data:image/png;base64,AA"/></svg>"#.to_owned();
        for svg in [
            text("Helvetica, sans-serif"),
            text("DejaVu Sans, serif"),
            image,
        ] {
            assert_ne!(fonts.digest_of(&svg), before(&svg), "{svg}");
        }
    }

    // Each thread keeps its canvases between cards: a card whose paper
    // does not cover it is drawn on white, not on the card drawn before,
    // whether it is drawn into palette indices (rectangles alone) or in
    // RGBA (a circle too), and whichever way the card before was drawn.
    #[test]
    fn a_card_starts_on_a_clean_canvas() {
        let fonts = super::Fonts {
            db: std::sync::Arc::new(resvg::usvg::fontdb::Database::new()),
            faces: Vec::new(),
            digest: 0,
            glyphs: Default::default(),
        };
        let card = |body: &str| {
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">{body}</svg>"#
            )
        };
        // A band on the paper: a canvas of indices left as it was would
        // read its indices in the next card's palette, not as paper.
        let paper = r##"<rect width="1200" height="630" fill="#203040"/><rect width="1200" height="14" fill="#b3261e"/>"##;
        let circle = r##"<circle cx="600" cy="300" r="40" fill="#0a0"/>"##;
        let square = r##"<rect x="100" y="100" width="50" height="50" fill="#d00"/>"##;
        let draw_in_turn = |svgs: &[&String]| {
            let fonts = &fonts;
            std::thread::scope(|s| {
                s.spawn(move || {
                    (svgs.iter())
                        .map(|svg| decode(&fonts.draw(svg, 1).expect("drawn")).1)
                        .collect::<Vec<_>>()
                })
                .join()
                .expect("the thread")
            })
        };
        for way in ["", circle] {
            let papered = card(&format!("{paper}{way}"));
            let bare = card(&format!("{square}{way}"));
            let alone = draw_in_turn(&[&bare]);
            let papered_other_way = card(&format!(
                "{paper}{}",
                if way.is_empty() { circle } else { "" }
            ));
            for first in [&papered, &papered_other_way] {
                let after = draw_in_turn(&[first, &bare, &papered]);
                assert_eq!(after[1], alone[0], "the card drawn before shows through");
                assert_eq!(
                    &after[1][..3],
                    [255, 255, 255],
                    "white where nothing is drawn"
                );
                let below_band = 3 * 1200 * 20;
                assert_eq!(
                    &after[2][below_band..below_band + 3],
                    [0x20, 0x30, 0x40],
                    "the paper"
                );
            }
        }
    }

    // A card of few colours is stored with a palette, one of many as RGB;
    // either reads back as the pixels drawn, with the digest it was drawn from.
    #[test]
    fn cards_read_back_as_drawn() {
        let mut few = Pixmap::new(300, 40).expect("a pixmap");
        few.fill(Color::from_rgba8(0xfb, 0xfa, 0xf8, 255));
        for (n, pixel) in few
            .pixels_mut()
            .iter_mut()
            .enumerate()
            .skip(4000)
            .step_by(7)
        {
            let level = (n % 200) as u8;
            *pixel = PremultipliedColorU8::from_rgba(level, level / 2, 30, 255).expect("opaque");
        }
        let mut many = few.clone();
        for (n, pixel) in many.pixels_mut().iter_mut().enumerate() {
            *pixel =
                PremultipliedColorU8::from_rgba(n as u8, (n / 256) as u8, 7, 255).expect("opaque");
        }
        for (pixmap, stored) in [(few, png::ColorType::Indexed), (many, png::ColorType::Rgb)] {
            let png = encode_pixmap(&pixmap, 0xfeed).expect("encoded");
            assert_eq!(decode(&png), (stored, rgb(&pixmap)));
            assert_eq!(digest_in(&png), Some(0xfeed));
        }
    }
}
