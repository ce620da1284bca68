//! Rectangles of whole pixels in one opaque colour, filled directly: a
//! card's paper, its bands and rules. resvg fills them as any path,
//! anti-aliased, which took a tenth of the time of drawing a card, though
//! every pixel such a rectangle covers is covered whole.

use resvg::tiny_skia::{PixmapMut, Transform};
use resvg::usvg::{self, Node, Paint};

/// Fills `path` into `pixmap` under `transform` when it is a rectangle of
/// whole pixels in one opaque colour, and says whether it was: each pixel
/// it covers simply takes the colour.
pub(super) fn fill_solid_rect(
    path: &usvg::Path,
    transform: Transform,
    pixmap: &mut PixmapMut,
) -> bool {
    let (width, height) = (pixmap.width(), pixmap.height());
    let Some(([left, top, right, bottom], colour)) = solid_rect(path, transform, width, height)
    else {
        return false;
    };
    // One row of the colour, copied into each row the rectangle covers.
    let line = colour.repeat(right - left);
    let row_bytes = width as usize * 4;
    let pixels = pixmap.data_mut();
    for row in top..bottom {
        let at = row * row_bytes + left * 4;
        pixels[at..at + line.len()].copy_from_slice(&line);
    }
    true
}

/// Whether the first thing `tree` draws under `transform` is an opaque
/// rectangle over the whole `width` × `height`: then whatever a canvas
/// held before is covered, and need not be cleared.
pub(super) fn covers(tree: &usvg::Tree, transform: Transform, width: u32, height: u32) -> bool {
    let whole = [0, 0, width as usize, height as usize];
    match tree.root().children().first() {
        Some(Node::Path(path)) => {
            solid_rect(path, transform, width, height).is_some_and(|(pixels, _)| pixels == whole)
        }
        _ => false,
    }
}

/// The pixels (left, top, right, bottom, on a `width` × `height` canvas)
/// and the RGBA colour of `path` under `transform`, when it is a rectangle
/// of whole pixels in an opaque colour.
pub(super) fn solid_rect(
    path: &usvg::Path,
    transform: Transform,
    width: u32,
    height: u32,
) -> Option<([usize; 4], [u8; 4])> {
    let fill = path.fill()?;
    let Paint::Color(colour) = fill.paint() else {
        return None;
    };
    let at = transform.pre_concat(path.abs_transform());
    if !path.is_visible()
        || path.stroke().is_some()
        || fill.opacity().get() < 1.0
        || !is_rect(path.data())
    {
        return None;
    }
    let pixels = pixels(path.data().bounds(), at, width, height)?;
    Some((pixels, [colour.red, colour.green, colour.blue, 255]))
}

/// The pixels (left, top, right, bottom, on a `width` × `height` canvas)
/// that `bounds` covers under `at` (no skew), when its sides fall on
/// whole pixels.
pub(super) fn pixels(
    bounds: resvg::tiny_skia::Rect,
    at: Transform,
    width: u32,
    height: u32,
) -> Option<[usize; 4]> {
    if at.kx != 0.0 || at.ky != 0.0 {
        return None;
    }
    let xs = [bounds.left(), bounds.right()].map(|x| x * at.sx + at.tx);
    let ys = [bounds.top(), bounds.bottom()].map(|y| y * at.sy + at.ty);
    let whole = |v: f32| (v - v.round()).abs() < 1e-4;
    if !xs.iter().chain(&ys).all(|&v| whole(v)) {
        return None;
    }
    let clamp = |v: f32, max: u32| (v.round().max(0.0) as usize).min(max as usize);
    let (left, right) = (
        clamp(xs[0].min(xs[1]), width),
        clamp(xs[0].max(xs[1]), width),
    );
    let (top, bottom) = (
        clamp(ys[0].min(ys[1]), height),
        clamp(ys[0].max(ys[1]), height),
    );
    Some([left, top, right, bottom])
}

/// Whether `path` is one rectangle with sides along the axes: a move to
/// a corner of its bounds, lines along its sides through the other three
/// (and maybe back), a close.
fn is_rect(path: &resvg::tiny_skia::Path) -> bool {
    use resvg::tiny_skia::{PathSegment, Point};
    let mut corners: Vec<Point> = Vec::with_capacity(5);
    for (i, segment) in path.segments().enumerate() {
        match segment {
            PathSegment::MoveTo(p) if i == 0 => corners.push(p),
            PathSegment::LineTo(p) if corners.len() < 5 => corners.push(p),
            PathSegment::Close => break,
            _ => return false,
        }
    }
    if corners.len() == 5 && corners[4] == corners[0] {
        corners.pop();
    }
    let bounds = path.bounds();
    let at = |p: &Point| {
        let x = [bounds.left(), bounds.right()]
            .iter()
            .position(|&x| x == p.x);
        let y = [bounds.top(), bounds.bottom()]
            .iter()
            .position(|&y| y == p.y);
        x.zip(y)
    };
    let Some(at) = corners.iter().map(at).collect::<Option<Vec<_>>>() else {
        return false;
    };
    // The four corners, each a side away from the last: round the rectangle.
    bounds.width() > 0.0
        && bounds.height() > 0.0
        && at.len() == 4
        && (1..4).all(|i| !at[..i].contains(&at[i]))
        && (0..4).all(|i| {
            let (a, b) = (at[i], at[(i + 1) % 4]);
            (a.0 == b.0) != (a.1 == b.1)
        })
}

#[cfg(test)]
mod tests {
    use resvg::tiny_skia::{Color, Pixmap, Transform};
    use resvg::usvg;

    fn tree(svg: &str) -> usvg::Tree {
        usvg::Tree::from_str(svg, &usvg::Options::default()).expect("an SVG")
    }

    fn paper() -> Pixmap {
        let mut pixmap = Pixmap::new(600, 200).expect("a pixmap");
        pixmap.fill(Color::WHITE);
        pixmap
    }

    // Rectangles of whole pixels in an opaque colour are filled directly,
    // to the same pixels resvg draws; any other shape is left to resvg.
    #[test]
    fn solid_rectangles_are_the_pixels_resvg_draws() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200">
          <rect width="600" height="200" fill="#fbfaf8"/>
          <rect width="600" height="8" fill="#b3261e"/>
          <rect x="40" y="30" width="96" height="4" fill="#1d1c1a"/>
          <rect x="-20" y="190" width="700" height="40" fill="#123456"/>
          <path d="M 200 40 H 260 V 90 H 200 Z" fill="#2a6"/>
          <rect x="300.5" y="40" width="50" height="50" fill="#d00"/>
          <rect x="400" y="40" width="50" height="50" fill="#00d" fill-opacity="0.5"/>
          <rect x="460" y="40" width="50" height="50" fill="#0d0" stroke="#000"/>
          <rect x="520" y="40" width="50" height="50" rx="8" fill="#dd0"/>
          <path d="M 40 100 L 100 100 L 100 160 L 100 100 Z" fill="#0dd"/>
          <path d="M 120 100 L 180 160 L 180 100 L 120 160 Z" fill="#d0d"/>
          <g transform="rotate(10 300 150)"><rect x="280" y="130" width="40" height="40" fill="#333"/></g>
        </svg>"##;
        let tree = tree(svg);
        let (mut direct, mut resvg_drawn) = (paper(), paper());
        assert!(super::super::glyphs::Glyphs::default().draw(
            &tree,
            Transform::identity(),
            &mut direct.as_mut()
        ));
        resvg::render(&tree, Transform::identity(), &mut resvg_drawn.as_mut());
        let differ = (direct.pixels().iter().zip(resvg_drawn.pixels()))
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(differ, 0, "pixels that differ from resvg's");

        // Which shapes took the direct way: the paper, the band, the rule,
        // the rectangle past the edges and the path drawn as a rectangle.
        let direct_ones: Vec<usize> = (tree.root().children().iter().enumerate())
            .filter(|(_, node)| match node {
                usvg::Node::Path(path) => {
                    super::fill_solid_rect(path, Transform::identity(), &mut paper().as_mut())
                }
                _ => false,
            })
            .map(|(i, _)| i)
            .collect();
        assert_eq!(direct_ones, [0, 1, 2, 3, 4]);
    }
}
