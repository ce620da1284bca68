//! A plain card read without usvg: rectangles and one-line text on the
//! card itself, as the default `card.svg` draws. usvg turned each text
//! into the outline of every glyph (the masks of `glyphs.rs` draw the
//! glyphs, not those outlines) and built a shaper for each text: nearly
//! half the time of a card.
//!
//! The glyphs are placed as usvg places them, operation for operation:
//! each text shaped whole by the same shaper (harfrust), in the face
//! usvg's font query picks, each cluster after the advances of those
//! before. Anything else, or any doubt, is `None`, and usvg reads the
//! card: an attribute not listed here, a `tspan`, a unit, a colour not in
//! `#` hex, text that usvg would collapse or reorder (spaces, tabs,
//! right-to-left scripts), a character the face lacks.

use std::ops::Range;

use resvg::tiny_skia::Transform;
use resvg::usvg::fontdb;

use super::Fonts;
use super::glyphs::{Placed, Run};
use super::indexed::Shape;
use super::rects::pixels;

/// The shapes of `svg` on a `width` × `height` card, when it is plain.
pub(super) fn shapes(fonts: &Fonts, svg: &str, (width, height): (u32, u32)) -> Option<Vec<Shape>> {
    let document = roxmltree::Document::parse(svg).ok()?;
    let root = document.root_element();
    if !is(root, "svg") || !only(root, &["width", "height", "viewBox"]) {
        return None;
    }
    let (w, h) = (number(root, "width")?, number(root, "height")?);
    if w <= 0.0 || h <= 0.0 {
        return None;
    }
    if let Some(view_box) = root.attribute("viewBox") {
        let parts: Vec<f32> = (view_box.split_ascii_whitespace())
            .map(|n| n.parse::<f64>().map(|n| n as f32))
            .collect::<Result<_, _>>()
            .ok()?;
        if parts != [0.0, 0.0, w, h] {
            return None;
        }
    }
    let transform = Transform::from_scale(width as f32 / w, height as f32 / h);
    let mut shapes = Vec::new();
    for node in root.children() {
        if node.is_comment() || (node.is_text() && node.text().is_some_and(is_blank)) {
            continue;
        }
        shapes.push(if is(node, "rect") {
            rect(node, transform, (width, height))?
        } else if is(node, "text") {
            Shape::Text(text(fonts, node, transform)?)
        } else {
            return None;
        });
    }
    Some(shapes)
}

/// `<rect x y width height fill>`: its pixels, when they are whole.
fn rect(node: roxmltree::Node, at: Transform, (width, height): (u32, u32)) -> Option<Shape> {
    if !only(node, &["x", "y", "width", "height", "fill"]) || node.has_children() {
        return None;
    }
    let x = optional(node, "x")?;
    let y = optional(node, "y")?;
    let (w, h) = (number(node, "width")?, number(node, "height")?);
    if w <= 0.0 || h <= 0.0 {
        return None;
    }
    let colour = hex(node.attribute("fill")?)?;
    let rect = resvg::tiny_skia::Rect::from_xywh(x, y, w, h)?;
    Some(Shape::Rect(pixels(rect, at, width, height)?, colour))
}

/// `<text x y font-family font-weight font-size fill>` of one line: its
/// glyphs where usvg puts them (`usvg::text::layout`).
fn text(fonts: &Fonts, node: roxmltree::Node, at: Transform) -> Option<Vec<Run>> {
    let names = ["x", "y", "font-family", "font-weight", "font-size", "fill"];
    if !only(node, &names) {
        return None;
    }
    let mut children = node.children();
    let content = match (children.next(), children.next()) {
        (None, _) => "",
        (Some(child), None) if child.is_text() => child.text()?,
        _ => return None,
    };
    let (x, y) = (optional(node, "x")?, optional(node, "y")?);
    let size = number(node, "font-size")?;
    let weight = match node.attribute("font-weight") {
        None | Some("normal") => 400,
        Some("bold") => 700,
        Some(n) => n
            .parse()
            .ok()
            .filter(|n| n % 100 == 0 && (100..=900).contains(n))?,
    };
    let family = node.attribute("font-family")?;
    let paint = hex(node.attribute("fill")?)?;
    if size <= 0.0 || !is_family(family) || !is_plain(content) {
        return None;
    }
    if content.is_empty() {
        return Some(Vec::new());
    }
    // usvg's default font query: the family, then serif.
    let id = fonts.db.query(&fontdb::Query {
        families: &[fontdb::Family::Name(family), fontdb::Family::Serif],
        weight: fontdb::Weight(weight),
        stretch: fontdb::Stretch::Normal,
        style: fontdb::Style::Normal,
    })?;
    let face = fonts.faces.iter().find(|f| f.id == id)?;
    let shaper = face.shaper(&fonts.db)?;
    let font = harfrust::FontRef::from_index(&face.data, face.index).ok()?;
    let mut buffer = harfrust::UnicodeBuffer::new();
    buffer.push_str(content);
    buffer.set_direction(harfrust::Direction::LeftToRight);
    buffer.guess_segment_properties();
    let shaped = (shaper.data.shaper(&font).build()).shape(buffer, harfrust::ShapeOptions::new());
    let (infos, positions) = (shaped.glyph_infos(), shaped.glyph_positions());
    if infos.iter().any(|g| g.glyph_id == 0) {
        return None;
    }
    let scale = size / f32::from(shaper.units_per_em);
    // Each glyph is placed as usvg's layout places it, by the same float
    // operations in the same order (the zero shifts it adds included), so
    // that each transform comes out the same to the bit: the glyphs of a
    // cluster each after the advances of those before it
    // (`form_glyph_clusters`), the clusters one after the other from the
    // leftmost edge (`resolve_clusters_positions_horizontal`), all under
    // the text's place (`layout_text`), outlines flipped
    // (`PositionedGlyph::outline_transform`).
    let mut clusters: Vec<Range<usize>> = Vec::new();
    for (i, info) in infos.iter().enumerate() {
        match clusters.last_mut() {
            Some(last) if infos[last.start].cluster == info.cluster => last.end = i + 1,
            _ => clusters.push(i..i + 1),
        }
    }
    let units = |i: usize| positions[i].x_advance as f32;
    let advance =
        |cluster: &Range<usize>| cluster.clone().fold(0.0, |sum, i| sum + units(i) * scale);
    let (mut left, mut edge) = (f32::INFINITY, 0.0f32);
    for cluster in &clusters {
        let start = edge + 0.0;
        let end = start + advance(cluster) - 0.0;
        left = left.min(start).min(end);
        edge += advance(cluster);
    }
    let span = (Transform::default().pre_translate(x, y)).pre_translate(0.0, -0.0 + 0.0);
    let mut pen = 0.0 - left + 0.0;
    let mut glyphs = Vec::with_capacity(infos.len());
    for cluster in &clusters {
        // Its path's transform (none), then its place.
        let place = Transform::default().pre_translate(pen + 0.0, 0.0);
        let cluster_at = Transform::default().post_concat(place);
        let mut offset = 0.0f32;
        for i in cluster.clone() {
            let glyph = Transform::from_translate(
                offset + positions[i].x_offset as f32,
                -positions[i].y_offset as f32,
            );
            offset += units(i);
            let outline = span
                .pre_concat(cluster_at)
                .pre_concat(Transform::from_scale(scale, scale))
                .pre_concat(glyph)
                .pre_concat(Transform::from_scale(1.0, -1.0));
            glyphs.push(Placed {
                font: id,
                glyph: infos[i].glyph_id,
                at: at.pre_concat(outline),
            });
        }
        pen += advance(cluster);
    }
    Some(vec![Run {
        glyphs,
        paint,
        alpha: 1.0,
    }])
}

/// The data a face is shaped with, made once per build.
pub(super) struct Shaper {
    data: harfrust::ShaperData,
    units_per_em: u16,
}

impl super::fonts::Face {
    /// Its shaper, when its glyphs are outlines the masks draw (as
    /// `Glyphs::simple` asks).
    fn shaper(&self, db: &fontdb::Database) -> Option<&Shaper> {
        self.shaper
            .get_or_init(|| {
                let font = harfrust::FontRef::from_index(&self.data, self.index).ok()?;
                let face = ttf_parser::Face::parse(&self.data, self.index).ok()?;
                super::glyphs::outline_face(db, self.id).then(|| Shaper {
                    data: harfrust::ShaperData::new(&font),
                    units_per_em: face.units_per_em(),
                })
            })
            .as_ref()
    }
}

fn is(node: roxmltree::Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(SVG)
}

const SVG: &str = "http://www.w3.org/2000/svg";

/// Whether `node` has no attribute but `names`.
fn only(node: roxmltree::Node, names: &[&str]) -> bool {
    (node.attributes()).all(|a| a.namespace().is_none() && names.contains(&a.name()))
}

/// The attribute `name` as a plain number, `-12.5` (no unit, no
/// exponent), as usvg reads it.
fn number(node: roxmltree::Node, name: &str) -> Option<f32> {
    let value = node.attribute(name)?.trim_ascii();
    let digits = value.strip_prefix('-').unwrap_or(value);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let plain = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !plain(whole) || !plain(fraction) {
        return None;
    }
    let n = value.parse::<f64>().ok()? as f32;
    n.is_finite().then_some(n)
}

/// The attribute `name` as a number, 0 when absent.
fn optional(node: roxmltree::Node, name: &str) -> Option<f32> {
    match node.attribute(name) {
        None => Some(0.0),
        Some(_) => number(node, name),
    }
}

/// `#rgb` or `#rrggbb`.
fn hex(value: &str) -> Option<[u8; 3]> {
    let digits = value.strip_prefix('#')?;
    let digit = |i: usize| u8::from_str_radix(digits.get(i..i + 1)?, 16).ok();
    match digits.len() {
        3 => Some([0, 1, 2].map(|i| digit(i).map(|d| d * 17)))
            .and_then(|[r, g, b]| Some([r?, g?, b?])),
        6 => {
            let byte = |i: usize| u8::from_str_radix(digits.get(i..i + 2)?, 16).ok();
            Some([byte(0)?, byte(2)?, byte(4)?])
        }
        _ => None,
    }
}

/// A family named plainly: not a list, not quoted, not a keyword; words
/// of letters, digits and hyphens, each begun by a letter.
fn is_family(family: &str) -> bool {
    let keywords = [
        "serif",
        "sans-serif",
        "monospace",
        "cursive",
        "fantasy",
        "inherit",
        "initial",
        "unset",
    ];
    (family.split(' ')).all(|word| {
        word.starts_with(|c: char| c.is_ascii_alphabetic())
            && (word.chars()).all(|c| c.is_ascii_alphanumeric() || c == '-')
    }) && !keywords.contains(&family.to_ascii_lowercase().as_str())
}

/// Whether usvg takes `text` as it is, one left-to-right run: no space it
/// would collapse or trim, no tab or line break, and only characters of
/// scripts written left to right (and the punctuation and symbols they use).
fn is_plain(text: &str) -> bool {
    !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && text.chars().all(|c| {
            matches!(c as u32,
                0x20..=0x7E | 0xA0..=0x058F | 0x1E00..=0x1FFF | 0x2010..=0x2027
                | 0x2030..=0x205E | 0x20A0..=0x20CF | 0x2100..=0x218F | 0x2190..=0x23FF
                | 0x25A0..=0x25FF)
        })
}

fn is_blank(text: &str) -> bool {
    text.chars().all(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

#[cfg(test)]
mod tests;
