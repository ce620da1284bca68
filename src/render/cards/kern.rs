//! A font's legacy `kern` table, hidden when nothing reads it.
//!
//! The shaper behind usvg (harfrust) kerns with GPOS when the font has a
//! GPOS `kern` feature and no AAT tables, and then never reads the old
//! `kern` table; but it builds a cache of that table's glyph pairs each
//! time it shapes a text: 3% of the instructions of a 10,000-entry build
//! for DejaVu. Such a font's `kern` record is renamed in its table
//! directory, so that no one finds it; the table's bytes stay where they
//! are, and every other table is read as before.

use ttf_parser::Tag;

/// The name the hidden table takes: no table has it, and it sorts just
/// before `kern`, so between the same neighbours (checked, not assumed).
const HIDDEN: [u8; 4] = *b"kerm";

/// `bytes` with the `kern` table hidden, if the font has one that the
/// shaper never reads; otherwise as they were.
pub(super) fn hide_unread(mut bytes: Vec<u8>) -> Vec<u8> {
    if let Some(record) = unread_kern_record(&bytes) {
        bytes[record..record + 4].copy_from_slice(&HIDDEN);
    }
    bytes
}

/// Where the directory record of an unread `kern` table starts.
fn unread_kern_record(bytes: &[u8]) -> Option<usize> {
    // One font, not a collection: `ttcf` files are left as they are.
    let version = bytes.get(..4)?;
    if !matches!(version, [0, 1, 0, 0] | b"true" | b"OTTO") {
        return None;
    }
    let count = usize::from(u16::from_be_bytes([*bytes.get(4)?, *bytes.get(5)?]));
    let tags: Vec<&[u8]> = (0..count)
        .map(|i| bytes.get(12 + 16 * i..16 + 16 * i))
        .collect::<Option<_>>()?;
    if tags
        .iter()
        .any(|t| matches!(*t, b"kerx" | b"morx" | b"mort"))
    {
        return None;
    }
    let at = tags.iter().position(|t| *t == b"kern")?;
    // The directory is searched by halves: the new name keeps its order.
    let sorted = (at == 0 || tags[at - 1] < &HIDDEN[..])
        && tags.get(at + 1).is_none_or(|next| &HIDDEN[..] < *next);
    let face = ttf_parser::Face::parse(bytes, 0).ok()?;
    let gpos_kerns = (face.tables().gpos).is_some_and(|gpos| {
        gpos.features
            .into_iter()
            .any(|f| f.tag == Tag::from_bytes(b"kern"))
    });
    (sorted && gpos_kerns).then_some(12 + 16 * at)
}

#[cfg(test)]
mod tests {
    use super::hide_unread;

    fn font(name: &str) -> Vec<u8> {
        let path = format!("{}/themes/default/fonts/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).expect("the default theme's font")
    }

    // DejaVu kerns with GPOS: its `kern` table is hidden, and the font
    // still reads the same (its GPOS, glyphs and advances).
    #[test]
    fn a_gpos_font_loses_its_kern_table() {
        for name in ["DejaVuSans.ttf", "DejaVuSerif-Bold.ttf"] {
            let before = font(name);
            let after = hide_unread(before.clone());
            let (old, new) = (
                ttf_parser::Face::parse(&before, 0).expect("a font"),
                ttf_parser::Face::parse(&after, 0).expect("still a font"),
            );
            assert!(
                old.tables().kern.is_some() && new.tables().kern.is_none(),
                "{name}"
            );
            assert!(new.tables().gpos.is_some(), "{name}");
            for c in ['A', 'V', 'é', '…'] {
                let glyph = old.glyph_index(c).expect("a glyph");
                assert_eq!(new.glyph_index(c), Some(glyph));
                assert_eq!(new.glyph_hor_advance(glyph), old.glyph_hor_advance(glyph));
            }
            assert_eq!(after.len(), before.len());
        }
    }

    // A font whose kerning is in `kern` alone keeps it, as do bytes that
    // are no font.
    #[test]
    fn a_font_kerning_with_kern_alone_keeps_it() {
        let mut no_gpos = font("DejaVuSans.ttf");
        let count = usize::from(u16::from_be_bytes([no_gpos[4], no_gpos[5]]));
        let gpos = (0..count)
            .map(|i| 12 + 16 * i)
            .find(|&at| &no_gpos[at..at + 4] == b"GPOS")
            .expect("DejaVu has GPOS");
        // Renamed to a tag that sorts in the same place, as the module does.
        no_gpos[gpos..gpos + 4].copy_from_slice(b"GPOR");
        assert_eq!(hide_unread(no_gpos.clone()), no_gpos);
        assert_eq!(hide_unread(b"no font".to_vec()), b"no font");
    }
}
