//! A card of flat rectangles and text, drawn straight into the indices of
//! its palette: what its PNG stores. Drawn in RGBA, four bytes a pixel, a
//! card then took a pass over every pixel to find its palette (some 80
//! colours), a quarter of the time of drawing it.
//!
//! The pixels are those of the RGBA way (`glyphs.rs`, `rects.rs`), blend
//! for blend: each blend of a colour over another at a level of coverage
//! is worked out once per card and kept as an index. A card with anything
//! else, or past 256 colours, is drawn in RGBA.

use resvg::tiny_skia::Transform;
use resvg::usvg::{self, Node};
use rustc_hash::FxHashMap;

use super::glyphs::{Glyph, Glyphs, Run, div255, level, rows_on};
use super::rects::solid_rect;

/// A canvas of palette indices, kept by a thread from card to card.
#[derive(Default)]
pub(super) struct Indexed {
    width: u32,
    height: u32,
    /// Each pixel's index in `palette`, row by row.
    pub(super) indices: Vec<u8>,
    /// The colours, as RGB triples: at most 256.
    pub(super) palette: Vec<u8>,
    /// Each colour's index in `palette`.
    index: FxHashMap<[u8; 3], u8>,
    /// The blends drawn so far: a colour (`over`) over another (`under`),
    /// and the index of each level of coverage, `UNSEEN` until drawn.
    blends: Vec<Blends>,
    /// Whether the card asked for a 257th colour.
    full: bool,
}

struct Blends {
    under: u8,
    over: u8,
    at: [u16; 256],
}

const UNSEEN: u16 = u16::MAX;

/// What a card draws, in order: text, and rectangles of whole pixels in
/// opaque colours.
#[derive(Debug, PartialEq)]
pub(super) enum Shape {
    Text(Vec<Run>),
    /// Its pixels (left, top, right, bottom) and its colour.
    Rect([usize; 4], [u8; 3]),
}

/// Draws `tree` under `transform` into `canvas`, `width` × `height`, and
/// says whether it could: when all it draws is text the masks draw (see
/// [`Glyphs::simple`]) and rectangles of whole pixels in opaque colours,
/// in at most 256 colours. Where nothing is drawn, the card is white.
#[cfg(test)]
fn draw(
    glyphs: &Glyphs,
    tree: &usvg::Tree,
    transform: Transform,
    canvas: &mut Indexed,
    size: (u32, u32),
) -> bool {
    shapes(glyphs, tree, transform, size)
        .is_some_and(|shapes| paint(glyphs, tree.fontdb(), &shapes, canvas, size))
}

/// The shapes of `tree` under `transform`, if it draws nothing else.
pub(super) fn shapes(
    glyphs: &Glyphs,
    tree: &usvg::Tree,
    transform: Transform,
    (width, height): (u32, u32),
) -> Option<Vec<Shape>> {
    let fonts = tree.fontdb();
    (tree.root().children().iter())
        .map(|node| match node {
            Node::Text(text) if glyphs.simple(node, fonts) => {
                Some(Shape::Text(Glyphs::runs(text, transform)))
            }
            Node::Path(path) => solid_rect(path, transform, width, height)
                .map(|(rect, [r, g, b, _])| Shape::Rect(rect, [r, g, b])),
            _ => None,
        })
        .collect()
}

/// Draws `shapes` into `canvas`, `width` × `height`, their glyphs from
/// `fonts`; `false` past 256 colours.
pub(super) fn paint(
    glyphs: &Glyphs,
    fonts: &usvg::fontdb::Database,
    shapes: &[Shape],
    canvas: &mut Indexed,
    (width, height): (u32, u32),
) -> bool {
    // Paper over the whole card, first: what the canvas held is hidden.
    let whole = [0, 0, width as usize, height as usize];
    let covered = matches!(shapes.first(), Some(Shape::Rect(rect, _)) if *rect == whole);
    canvas.start(width, height, covered);
    for shape in shapes {
        match shape {
            Shape::Text(runs) => {
                for run in runs {
                    glyphs.put(run, fonts, |glyph, x, y, paint, alpha| {
                        canvas.blend(glyph, x, y, paint, alpha);
                    });
                }
            }
            Shape::Rect(rect, colour) => canvas.fill(*rect, *colour),
        }
    }
    !canvas.full
}

impl Indexed {
    /// A blank card: white unless something is to cover it whole.
    fn start(&mut self, width: u32, height: u32, covered: bool) {
        self.width = width;
        self.height = height;
        self.palette.clear();
        self.index.clear();
        self.blends.clear();
        self.full = false;
        let paper = match covered {
            true => 0,
            false => colour_index(&mut self.palette, &mut self.index, &mut self.full, [255; 3]),
        };
        // Filled in one go (`resize` wrote a byte at a time), and not at
        // all under paper that covers the card.
        let pixels = width as usize * height as usize;
        if self.indices.len() != pixels {
            self.indices.clear();
            self.indices.resize(pixels, paper);
        } else if !covered {
            self.indices.fill(paper);
        }
    }

    /// Fills the pixels `[left, top, right, bottom]` with `colour`.
    fn fill(&mut self, [left, top, right, bottom]: [usize; 4], colour: [u8; 3]) {
        let at = colour_index(&mut self.palette, &mut self.index, &mut self.full, colour);
        let width = self.width as usize;
        for row in top..bottom {
            self.indices[row * width + left..row * width + right].fill(at);
        }
    }

    /// Blends `paint` at `alpha` through `glyph`, its origin in the pixel
    /// (`x`, `y`), as `glyphs::blend` does over RGBA.
    fn blend(&mut self, glyph: &Glyph, x: i32, y: i32, paint: [u8; 3], alpha: f32) {
        let Indexed {
            width,
            height,
            indices,
            palette,
            index,
            blends,
            full,
        } = self;
        let over = colour_index(palette, index, full, paint);
        let mut pen = Pen {
            paint,
            over,
            alpha: level(alpha),
            palette,
            index,
            blends,
            full,
            last: None,
        };
        for (cover, at) in rows_on(glyph, x, y, *width, *height) {
            let line = &mut indices[at..at + cover.len()];
            // Eight pixels at a time where they are all outside the glyph,
            // or (drawn opaque) all inside.
            let (eights, rest) = cover.as_chunks::<8>();
            let (lines, rest_line) = line.as_chunks_mut::<8>();
            for (eight, pixels) in eights.iter().zip(lines) {
                match u64::from_ne_bytes(*eight) {
                    0 => {}
                    u64::MAX if pen.alpha == 255 => pixels.fill(over),
                    _ => {
                        for (&cover, pixel) in eight.iter().zip(pixels) {
                            pen.put(pixel, cover);
                        }
                    }
                }
            }
            for (&cover, pixel) in rest.iter().zip(rest_line) {
                pen.put(pixel, cover);
            }
        }
    }
}

/// One colour at one opacity, blended into a canvas's indices.
struct Pen<'a> {
    paint: [u8; 3],
    /// The index of `paint`.
    over: u8,
    alpha: u32,
    palette: &'a mut Vec<u8>,
    index: &'a mut FxHashMap<[u8; 3], u8>,
    blends: &'a mut Vec<Blends>,
    full: &'a mut bool,
    /// The blends last used: most of a glyph's edge is over one colour.
    last: Option<usize>,
}

impl Pen<'_> {
    /// Blends the pen into `pixel` at `cover`.
    #[inline(always)]
    fn put(&mut self, pixel: &mut u8, cover: u8) {
        let a = match self.alpha {
            255 => u32::from(cover),
            alpha => div255(u32::from(cover) * alpha),
        };
        match a {
            0 => {}
            255 => *pixel = self.over,
            _ => {
                let under = *pixel;
                let table = match self.last {
                    Some(t) if self.blends[t].under == under => t,
                    _ => self.blends_over(under),
                };
                *pixel = match self.blends[table].at[a as usize] {
                    UNSEEN => self.mix(table, a),
                    at => at as u8,
                };
            }
        }
    }

    /// The blends of the pen over the colour of index `under`.
    #[cold]
    fn blends_over(&mut self, under: u8) -> usize {
        let over = self.over;
        let table = (self.blends.iter())
            .position(|b| b.under == under && b.over == over)
            .unwrap_or_else(|| {
                self.blends.push(Blends {
                    under,
                    over,
                    at: [UNSEEN; 256],
                });
                self.blends.len() - 1
            });
        self.last = Some(table);
        table
    }

    /// The index of the pen at level `a` over the colour under `table`,
    /// the first time it is drawn.
    #[cold]
    fn mix(&mut self, table: usize, a: u32) -> u8 {
        let base = usize::from(self.blends[table].under) * 3;
        let mut colour = [0; 3];
        for ((c, &source), &below) in (colour.iter_mut())
            .zip(&self.paint)
            .zip(&self.palette[base..base + 3])
        {
            *c = div255(u32::from(source) * a + u32::from(below) * (255 - a)) as u8;
        }
        let at = colour_index(self.palette, self.index, self.full, colour);
        self.blends[table].at[a as usize] = u16::from(at);
        at
    }
}

/// The index of `colour` in `palette`, added if it is new; `full` is set
/// (and 0 given) past 256 colours.
fn colour_index(
    palette: &mut Vec<u8>,
    index: &mut FxHashMap<[u8; 3], u8>,
    full: &mut bool,
    colour: [u8; 3],
) -> u8 {
    if let Some(&at) = index.get(&colour) {
        return at;
    }
    let Ok(at) = u8::try_from(index.len()) else {
        *full = true;
        return 0;
    };
    index.insert(colour, at);
    palette.extend_from_slice(&colour);
    at
}

#[cfg(test)]
mod tests {
    use resvg::tiny_skia::{Color, Pixmap, Transform};
    use resvg::usvg;

    use super::{Indexed, draw};
    use crate::render::cards::glyphs::Glyphs;

    const SIZE: (u32, u32) = (600, 200);

    /// `svg`, the inside of a card of `SIZE`, parsed as cards are.
    fn tree(svg: &str) -> usvg::Tree {
        crate::render::cards::glyphs::tests::tree(&format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}">{svg}</svg>"#,
            SIZE.0, SIZE.1
        ))
    }

    /// The RGB of each pixel of `svg` drawn in RGBA, on white.
    fn rgba(glyphs: &Glyphs, tree: &usvg::Tree) -> Vec<[u8; 3]> {
        let mut pixmap = Pixmap::new(SIZE.0, SIZE.1).expect("a pixmap");
        pixmap.fill(Color::WHITE);
        assert!(glyphs.draw(tree, Transform::identity(), &mut pixmap.as_mut()));
        (pixmap.data().chunks_exact(4))
            .map(|p| [p[0], p[1], p[2]])
            .collect()
    }

    /// The RGB of each pixel of `svg` drawn into indices, if it could be.
    fn indexed(glyphs: &Glyphs, tree: &usvg::Tree, canvas: &mut Indexed) -> Option<Vec<[u8; 3]>> {
        draw(glyphs, tree, Transform::identity(), canvas, SIZE).then(|| {
            (canvas.indices.iter())
                .map(|&i| {
                    let at = usize::from(i) * 3;
                    [0, 1, 2].map(|c| canvas.palette[at + c])
                })
                .collect()
        })
    }

    // A card of rectangles and text has the very pixels it has drawn in
    // RGBA: text over paper, over a band, over other text, translucent.
    // One canvas draws card after card, each from a clean start.
    #[test]
    fn a_card_drawn_into_indices_is_the_card_drawn_in_rgba() {
        let glyphs = Glyphs::default();
        let mut canvas = Indexed::default();
        let cards = [
            r##"<rect width="600" height="200" fill="#fbfaf8"/>
              <rect width="600" height="14" fill="#b3261e"/>
              <text x="20" y="18" font-family="DejaVu Serif" font-weight="bold" font-size="40" fill="#1d1c1a">Over the band, AVA</text>
              <text x="20.3" y="100" font-family="DejaVu Sans" font-size="28" fill="#5d5950">Thursday, January 1, 2026 · ffi</text>
              <text x="24" y="104" font-family="DejaVu Sans" font-size="28" fill="#b3261e" fill-opacity="0.5">Thursday, over it</text>
              <rect x="40" y="150" width="96" height="4" fill="#1d1c1a"/>"##,
            // No paper: white where nothing is drawn.
            r##"<rect x="100" y="40" width="50" height="50" fill="#d00"/>
              <text x="20" y="150" font-size="17" fill="#123456">Small text on white: 0123456789</text>"##,
        ];
        for svg in cards {
            let tree = tree(svg);
            let pixels = indexed(&glyphs, &tree, &mut canvas).expect("drawn into indices");
            let expected = rgba(&glyphs, &tree);
            let differ = (pixels.iter().zip(&expected))
                .filter(|(a, b)| a != b)
                .count();
            assert_eq!(differ, 0, "pixels that differ from RGBA's, in {svg}");
            assert!(canvas.palette.len() / 3 > 20, "anti-aliased text was drawn");
        }
        assert_eq!(
            indexed(&glyphs, &tree(cards[1]), &mut canvas).expect("drawn")[0],
            [255; 3]
        );
    }

    // Random cards of rectangles and text (colours, sizes, places to a
    // fraction of a pixel, translucent fills, text over text) have the
    // very pixels drawn in RGBA.
    #[test]
    fn random_cards_drawn_into_indices_are_the_cards_drawn_in_rgba() {
        use proptest::prelude::*;

        let colour = || {
            (0u8..=255, 0u8..=255, 0u8..=255)
                .prop_map(|(r, g, b)| format!("#{r:02x}{g:02x}{b:02x}"))
        };
        let rect = (0u32..600, 0u32..200, 1u32..600, 1u32..200, colour()).prop_map(
            |(x, y, w, h, fill)| {
                format!(r#"<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/>"#)
            },
        );
        let text = (
            0.0f32..500.0,
            10.0f32..200.0,
            8u32..70,
            any::<bool>(),
            colour(),
            prop_oneof![Just(1.0f32), 0.05f32..1.0],
            "[A-Za-z0-9 ,.'?-]{1,24}",
        )
            .prop_map(|(x, y, size, serif, fill, opacity, words)| {
                let face = match serif {
                    true => r#"font-family="DejaVu Serif" font-weight="bold""#,
                    false => r#"font-family="DejaVu Sans""#,
                };
                format!(
                    r#"<text x="{x}" y="{y}" {face} font-size="{size}" fill="{fill}" fill-opacity="{opacity}">{words}</text>"#
                )
            });
        let card = (
            proptest::option::of(colour()),
            proptest::collection::vec(prop_oneof![rect, text], 1..6),
        )
            .prop_map(|(paper, shapes)| {
                let paper = paper
                    .map(|fill| format!(r#"<rect width="600" height="200" fill="{fill}"/>"#))
                    .unwrap_or_default();
                format!("{paper}{}", shapes.concat())
            });
        let glyphs = Glyphs::default();
        // One canvas for every card, as a thread keeps it.
        let canvas = std::cell::RefCell::new(Indexed::default());
        let compared = std::cell::Cell::new(0);
        let mut runner = crate::testing::runner(48);
        runner
            .run(&card, |svg| {
                let tree = tree(&svg);
                // Past 256 colours it is left to RGBA, as the test below shows.
                let drawn = indexed(&glyphs, &tree, &mut canvas.borrow_mut());
                if let Some(pixels) = drawn {
                    let expected = rgba(&glyphs, &tree);
                    let differ = (pixels.iter().zip(&expected))
                        .filter(|(a, b)| a != b)
                        .count();
                    prop_assert_eq!(differ, 0, "pixels that differ from RGBA's");
                    compared.set(compared.get() + 1);
                }
                Ok(())
            })
            .expect("cards drawn both ways are the same");
        assert!(
            compared.get() >= 32,
            "{} of 48 cards were drawn into indices",
            compared.get()
        );
    }

    // A card with a shape other than a rectangle of whole pixels, a group,
    // or more than 256 colours is left to the RGBA way.
    #[test]
    fn other_cards_are_left_to_rgba() {
        let glyphs = Glyphs::default();
        let many: String = (0..300)
            .map(|i| format!(r##"<rect x="{i}" width="1" height="10" fill="#{i:06x}"/>"##))
            .collect();
        for svg in [
            r##"<circle cx="50" cy="50" r="30" fill="#d00"/>"##.to_owned(),
            r##"<rect x="0.5" width="10" height="10" fill="#d00"/>"##.to_owned(),
            r##"<g opacity="0.5"><rect width="10" height="10" fill="#d00"/></g>"##.to_owned(),
            r##"<text x="20" y="50" font-size="30" fill="#000" stroke="#f00">Stroked</text>"##
                .to_owned(),
            many,
        ] {
            let tree = tree(&svg);
            assert!(
                indexed(&glyphs, &tree, &mut Indexed::default()).is_none(),
                "{svg}"
            );
        }
    }
}
