//! Card text drawn from glyphs rasterised once: resvg fills every glyph's
//! outline anew on every card, which took half the time of drawing one.
//! A card's text is a few fonts at a few sizes, so each glyph at each
//! quarter-pixel offset is filled once into a coverage mask, kept, and
//! blended where the text puts it.
//!
//! Only what the masks draw as resvg would takes this way: text at the
//! top of the card (not in a group with opacity, a clip, a mask or a
//! filter), filled with a flat colour, not stroked or decorated, in fonts
//! whose glyphs are outlines and not variable. A card with any other text
//! is drawn by resvg alone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use resvg::tiny_skia::{FillRule, Mask, PathBuilder, PixmapMut, Transform};
use resvg::usvg::{self, Node, Paint};

/// Subpixel positions per pixel, each way: a glyph lands within an eighth
/// of a pixel of where resvg puts it.
const STEPS: f32 = 4.0;

/// A glyph filled once: its coverage, and where its top-left pixel sits
/// from the pixel its origin falls in.
pub(super) struct Glyph {
    left: i32,
    top: i32,
    mask: Mask,
}

/// A glyph where a card puts it: its face, its id, and the transform from
/// its outline's units to the card's pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Placed {
    pub(super) font: usvg::fontdb::ID,
    pub(super) glyph: u32,
    pub(super) at: Transform,
}

/// Glyphs in one flat colour at one opacity: a span of text.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Run {
    pub(super) glyphs: Vec<Placed>,
    pub(super) paint: [u8; 3],
    pub(super) alpha: f32,
}

/// A glyph of a face, at one size, shape (the transform without its
/// translation) and quarter-pixel offset.
#[derive(PartialEq, Eq, Hash)]
struct Key {
    font: usvg::fontdb::ID,
    glyph: u32,
    shape: [u32; 4],
    offset: (u8, u8),
}

/// The glyphs filled so far, shared by every card of a render. Bounded:
/// a site in a script of thousands of glyphs starts over past `KEPT`.
#[derive(Default)]
pub struct Glyphs {
    filled: Mutex<HashMap<Key, Option<Arc<Glyph>>>>,
}

impl Glyphs {
    const KEPT: usize = 20_000;

    /// Draws `tree` into `pixmap` under `transform`: its text from the
    /// masks, everything else with resvg, in the order of the document.
    /// `false`, with nothing drawn, when some text must be left to resvg.
    pub fn draw(&self, tree: &usvg::Tree, transform: Transform, pixmap: &mut PixmapMut) -> bool {
        let root = tree.root();
        let fonts = tree.fontdb();
        if !root.children().iter().all(|node| self.simple(node, fonts)) {
            return false;
        }
        for node in root.children() {
            match node {
                Node::Text(text) => {
                    for run in Self::runs(text, transform) {
                        self.put(&run, fonts, |glyph, x, y, paint, alpha| {
                            blend(pixmap, glyph, x, y, paint, alpha);
                        });
                    }
                }
                Node::Path(path) if super::rects::fill_solid_rect(path, transform, pixmap) => {}
                _ => {
                    // `render_node` draws a node as if its box were at the
                    // origin: move the origin to the box first.
                    if let Some(bbox) = node.abs_layer_bounding_box() {
                        let at = transform.pre_translate(bbox.x(), bbox.y());
                        resvg::render_node(node, at, pixmap);
                    }
                }
            }
        }
        true
    }

    /// Whether `node` draws the same from masks: text as the module says,
    /// or anything without text.
    pub(super) fn simple(&self, node: &Node, fonts: &usvg::fontdb::Database) -> bool {
        match node {
            Node::Text(text) => {
                // Each face asked once: a text is a few faces, many glyphs.
                let mut faces: Vec<(usvg::fontdb::ID, bool)> = Vec::new();
                let mut outlines = |font| match faces.iter().find(|(id, _)| *id == font) {
                    Some(&(_, outlines)) => outlines,
                    None => {
                        let outlines = outline_face(fonts, font);
                        faces.push((font, outlines));
                        outlines
                    }
                };
                text.rendering_mode() != usvg::TextRendering::OptimizeSpeed
                    && text.layouted().iter().all(|span| {
                        span.visible
                            && span.stroke.is_none()
                            && span.underline.is_none()
                            && span.overline.is_none()
                            && span.line_through.is_none()
                            && matches!(
                                span.fill.as_ref().map(usvg::Fill::paint),
                                Some(Paint::Color(_))
                            )
                            && (span.positioned_glyphs.iter()).all(|g| outlines(g.font))
                    })
            }
            Node::Group(group) => !has_text(group),
            Node::Path(_) | Node::Image(_) => true,
        }
    }

    /// The glyphs of `text` under `transform`, a run for each span: where
    /// each falls on the card, in the span's colour.
    pub(super) fn runs(text: &usvg::Text, transform: Transform) -> Vec<Run> {
        let mut runs = Vec::new();
        for span in text.layouted() {
            let Some(fill) = &span.fill else { continue };
            let Paint::Color(colour) = fill.paint() else {
                continue;
            };
            runs.push(Run {
                paint: [colour.red, colour.green, colour.blue],
                alpha: fill.opacity().get(),
                glyphs: (span.positioned_glyphs.iter())
                    .map(|positioned| Placed {
                        font: positioned.font,
                        glyph: positioned.id.0,
                        at: transform.pre_concat(positioned.outline_transform()),
                    })
                    .collect(),
            });
        }
        runs
    }

    /// Hands each glyph of `run` to `put`, with the pixel its origin falls
    /// in, its colour and its opacity.
    pub(super) fn put(
        &self,
        run: &Run,
        fonts: &usvg::fontdb::Database,
        mut put: impl FnMut(&Glyph, i32, i32, [u8; 3], f32),
    ) {
        for placed in &run.glyphs {
            let at = placed.at;
            let (x, y) = (at.tx.floor(), at.ty.floor());
            let offset = (step(at.tx - x), step(at.ty - y));
            let key = Key {
                font: placed.font,
                glyph: placed.glyph,
                shape: [at.sx, at.ky, at.kx, at.sy].map(f32::to_bits),
                offset,
            };
            if let Some(glyph) = self.glyph(key, fonts) {
                put(&glyph, x as i32, y as i32, run.paint, run.alpha);
            }
        }
    }

    /// The glyph of `key`, filled now if it was not yet; `None` for one
    /// with no outline (a space).
    fn glyph(&self, key: Key, fonts: &usvg::fontdb::Database) -> Option<Arc<Glyph>> {
        let lock = || self.filled.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(glyph) = lock().get(&key) {
            return glyph.clone();
        }
        let glyph = fill(&key, fonts).map(Arc::new);
        let mut filled = lock();
        if filled.len() >= Self::KEPT {
            filled.clear();
        }
        filled.insert(key, glyph.clone());
        glyph
    }
}

/// The quarter-pixel step of a fraction of a pixel, `0..=STEPS`.
fn step(fraction: f32) -> u8 {
    (fraction * STEPS).round() as u8
}

/// Whether `group` holds text, at any depth.
fn has_text(group: &usvg::Group) -> bool {
    group.children().iter().any(|node| match node {
        Node::Text(_) => true,
        Node::Group(group) => has_text(group),
        Node::Path(_) | Node::Image(_) => false,
    })
}

/// Whether the face `font` draws every glyph as an outline: without
/// colour, SVG or bitmap glyphs, and not variable (the variations usvg
/// gives every span, from its weight and style, then change nothing).
pub(super) fn outline_face(fonts: &usvg::fontdb::Database, font: usvg::fontdb::ID) -> bool {
    fonts
        .with_face_data(font, |data, index| {
            let face = ttf_parser::Face::parse(data, index).ok()?;
            let tables = face.tables();
            Some(
                !face.is_variable()
                    && tables.colr.is_none()
                    && tables.svg.is_none()
                    && tables.cbdt.is_none()
                    && tables.sbix.is_none(),
            )
        })
        .flatten()
        .unwrap_or(false)
}

/// The coverage of the glyph of `key`, filled as resvg fills text:
/// anti-aliased, non-zero.
fn fill(key: &Key, fonts: &usvg::fontdb::Database) -> Option<Glyph> {
    let path = fonts
        .with_face_data(key.font, |data, index| {
            let face = ttf_parser::Face::parse(data, index).ok()?;
            let mut outline = Outline(PathBuilder::new());
            face.outline_glyph(
                ttf_parser::GlyphId(u16::try_from(key.glyph).ok()?),
                &mut outline,
            )?;
            outline.0.finish()
        })
        .flatten()?;
    let [sx, ky, kx, sy] = key.shape.map(f32::from_bits);
    let shape = Transform::from_row(
        sx,
        ky,
        kx,
        sy,
        f32::from(key.offset.0) / STEPS,
        f32::from(key.offset.1) / STEPS,
    );
    let bounds = path.clone().transform(shape)?.bounds();
    let left = bounds.left().floor() as i32 - 1;
    let top = bounds.top().floor() as i32 - 1;
    let width = (bounds.right().ceil() as i32 + 1 - left).max(1) as u32;
    let height = (bounds.bottom().ceil() as i32 + 1 - top).max(1) as u32;
    let mut mask = Mask::new(width, height)?;
    let placed = shape.post_translate(-left as f32, -top as f32);
    mask.fill_path(&path, FillRule::Winding, true, placed);
    Some(Glyph { left, top, mask })
}

/// The rows of `glyph`'s coverage that fall on a `width` × `height`
/// canvas, its origin in the pixel (`x`, `y`): each row's coverage, and the
/// place of its first pixel on the canvas (row by row, from the top left).
pub(super) fn rows_on(
    glyph: &Glyph,
    x: i32,
    y: i32,
    width: u32,
    height: u32,
) -> impl Iterator<Item = (&[u8], usize)> {
    let (width, height) = (width as i32, height as i32);
    let (mask_width, mask_height) = (glyph.mask.width() as i32, glyph.mask.height() as i32);
    let (left, top) = (x + glyph.left, y + glyph.top);
    // The part of the mask on the canvas.
    let columns = (-left).max(0)..mask_width.min(width - left);
    let rows = match columns.is_empty() {
        true => 0..0,
        false => (-top).max(0)..mask_height.min(height - top),
    };
    let coverage = glyph.mask.data();
    rows.map(move |row| {
        let from = (row * mask_width) as usize;
        let cover = &coverage[from + columns.start as usize..from + columns.end as usize];
        let at = ((top + row) * width + left + columns.start) as usize;
        (cover, at)
    })
}

/// An opacity as a level, 0 to 255.
pub(super) fn level(alpha: f32) -> u32 {
    (alpha.clamp(0.0, 1.0) * 255.0).round() as u32
}

/// Blends `paint` at `alpha` through `glyph`, its origin in the pixel
/// (`x`, `y`), over the premultiplied RGBA of `pixmap`.
fn blend(pixmap: &mut PixmapMut, glyph: &Glyph, x: i32, y: i32, paint: [u8; 3], alpha: f32) {
    let (width, height) = (pixmap.width(), pixmap.height());
    let alpha = level(alpha);
    let opaque = [paint[0], paint[1], paint[2], 255];
    let pixels = pixmap.data_mut();
    for (cover, at) in rows_on(glyph, x, y, width, height) {
        let line = &mut pixels[at * 4..(at + cover.len()) * 4];
        // Eight pixels at a time where they are all outside the glyph, or
        // (drawn opaque) all inside: most of a glyph's box is one or the other.
        let (eights, rest) = cover.as_chunks::<8>();
        let (lines, rest_line) = line.as_chunks_mut::<32>();
        for (eight, pixels) in eights.iter().zip(lines) {
            match u64::from_ne_bytes(*eight) {
                0 => {}
                u64::MAX if alpha == 255 => {
                    for pixel in pixels.chunks_exact_mut(4) {
                        pixel.copy_from_slice(&opaque);
                    }
                }
                _ => {
                    for (&cover, pixel) in eight.iter().zip(pixels.chunks_exact_mut(4)) {
                        blend_pixel(pixel, cover, alpha, opaque);
                    }
                }
            }
        }
        for (&cover, pixel) in rest.iter().zip(rest_line.chunks_exact_mut(4)) {
            blend_pixel(pixel, cover, alpha, opaque);
        }
    }
}

/// Blends `paint` (opaque) at `cover` × `alpha` over one premultiplied pixel.
#[inline]
fn blend_pixel(pixel: &mut [u8], cover: u8, alpha: u32, paint: [u8; 4]) {
    // `cover` × 255 / 255 is `cover`: no division for opaque text.
    let a = match alpha {
        255 => u32::from(cover),
        _ => div255(u32::from(cover) * alpha),
    };
    match a {
        0 => {}
        255 => pixel.copy_from_slice(&paint),
        _ => {
            for (channel, &source) in pixel[..3].iter_mut().zip(&paint) {
                *channel = div255(u32::from(source) * a + u32::from(*channel) * (255 - a)) as u8;
            }
            // Over an opaque pixel (all of a card's paper) it stays 255.
            if pixel[3] != 255 {
                pixel[3] = (a + div255(u32::from(pixel[3]) * (255 - a))) as u8;
            }
        }
    }
}

/// `value / 255`, rounded, for `value` up to 255 × 255.
pub(super) fn div255(value: u32) -> u32 {
    (value + 128 + ((value + 128) >> 8)) >> 8
}

/// A glyph's outline, as ttf-parser reads it, into a path.
struct Outline(PathBuilder);

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::sync::Arc;

    use resvg::tiny_skia::{Color, Pixmap, Transform};
    use resvg::usvg;

    use super::Glyphs;

    /// `svg` parsed with the default theme's fonts, as cards are.
    pub(in crate::render::cards) fn tree(svg: &str) -> usvg::Tree {
        let mut fonts = usvg::fontdb::Database::new();
        for face in ["DejaVuSans.ttf", "DejaVuSerif-Bold.ttf"] {
            let path = format!("{}/themes/default/fonts/{face}", env!("CARGO_MANIFEST_DIR"));
            fonts.load_font_data(std::fs::read(path).expect("the theme's font"));
        }
        let options = usvg::Options {
            fontdb: Arc::new(fonts),
            font_family: "DejaVu Sans".into(),
            ..usvg::Options::default()
        };
        usvg::Tree::from_str(svg, &options).expect("an SVG")
    }

    fn paper() -> Pixmap {
        let mut pixmap = Pixmap::new(600, 200).expect("a pixmap");
        pixmap.fill(Color::WHITE);
        pixmap
    }

    /// How dark a pixmap is, summed over every channel of every pixel.
    fn ink(pixmap: &Pixmap) -> u64 {
        pixmap.data().iter().map(|&c| u64::from(255 - c)).sum()
    }

    // Text drawn from the masks is the text resvg draws: the same pixels
    // but at the edges of glyphs (placed to a quarter pixel), and as much
    // ink, for two faces, three sizes, a colour and a translucent fill.
    #[test]
    fn text_from_masks_is_the_text_resvg_draws() {
        let tree = tree(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200">
              <rect width="600" height="200" fill="#fbfaf8"/>
              <rect width="600" height="8" fill="#b3261e"/>
              <text x="20" y="50" font-family="DejaVu Serif" font-weight="bold" font-size="40" fill="#b3261e">Fixture Daily: AVA Wolf</text>
              <text x="20.3" y="100" font-family="DejaVu Sans" font-size="28" fill="#5d5950">Thursday, January 1, 2026 · ☐ ffi</text>
              <text x="20" y="150" font-family="DejaVu Sans" font-size="17" fill="#1d1c1a" fill-opacity="0.5">Half as dark, and small: 0123456789</text>
            </svg>"##,
        );
        let (mut masks, mut outlines) = (paper(), paper());
        assert!(Glyphs::default().draw(&tree, Transform::identity(), &mut masks.as_mut()));
        resvg::render(&tree, Transform::identity(), &mut outlines.as_mut());

        let (ink_masks, ink_outlines) = (ink(&masks), ink(&outlines));
        assert!(ink_outlines > 2_000_000, "text was drawn: {ink_outlines}");
        let off = ink_masks.abs_diff(ink_outlines) as f64 / ink_outlines as f64;
        assert!(off < 0.01, "{ink_masks} against {ink_outlines}: {off}");
        let pixels = |p: &Pixmap| {
            p.data()
                .chunks_exact(4)
                .map(|c| c.to_vec())
                .collect::<Vec<_>>()
        };
        let (a, b) = (pixels(&masks), pixels(&outlines));
        let differ: Vec<u8> = (a.iter().zip(&b))
            .filter(|(a, b)| a != b)
            .map(|(a, b)| {
                (a.iter().zip(b.iter()))
                    .map(|(x, y)| x.abs_diff(*y))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let inked = b.iter().filter(|p| p[..3] != [0xfb, 0xfa, 0xf8]).count();
        assert!(
            differ.len() * 4 < inked,
            "{} of {inked} inked pixels differ",
            differ.len()
        );
        assert!(
            differ.iter().all(|&d| d <= 96),
            "an edge off by {:?}",
            differ.iter().max()
        );
    }

    // Text the masks would draw otherwise than resvg (stroked, underlined,
    // in a translucent or turned group, in a gradient, drawn without
    // anti-aliasing)
    // leaves the whole card to resvg: nothing is drawn.
    #[test]
    fn other_text_is_left_to_resvg() {
        for text in [
            r##"<text x="20" y="50" font-size="30" fill="#000" stroke="#f00">Stroked</text>"##,
            r##"<text x="20" y="50" font-size="30" fill="#000" text-decoration="underline">Under</text>"##,
            r##"<g opacity="0.5"><text x="20" y="50" font-size="30" fill="#000">Group</text></g>"##,
            r##"<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/><stop offset="1" stop-color="#00f"/></linearGradient></defs><text x="20" y="50" font-size="30" fill="url(#g)">Gradient</text>"##,
            r##"<text x="20" y="50" font-size="30" fill="#000" text-rendering="optimizeSpeed">Jagged</text>"##,
            r##"<g transform="rotate(5)"><text x="20" y="50" font-size="30" fill="#000">Turned</text></g>"##,
        ] {
            let tree = tree(&format!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"><rect width="600" height="200" fill="#fbfaf8"/>{text}</svg>"##
            ));
            let mut pixmap = paper();
            assert!(
                !Glyphs::default().draw(&tree, Transform::identity(), &mut pixmap.as_mut()),
                "{text}"
            );
            assert_eq!(ink(&pixmap), 0, "{text}: drawn before giving up");
        }
    }
}
