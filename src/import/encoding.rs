//! A source's bytes, in whatever encoding its publisher chose -> UTF-8.
//!
//! Not every feed is UTF-8: older publishers send ISO-8859-1 or
//! windows-1252 and say so in the XML declaration, and some send UTF-16
//! with a byte-order mark, which every XML reader must accept. The readers
//! after this one (quick-xml, feed-rs, our own) are given UTF-8 only, and
//! a declaration that says so. The encoding is the byte-order mark's, else
//! the XML declaration's, else the HTTP `Content-Type` charset's, else
//! UTF-8. encoding_rs decodes, by the WHATWG's names, as browsers do:
//! `ISO-8859-1` is read as windows-1252, its superset.

use std::borrow::Cow;
use std::ops::Range;

use encoding_rs::{Encoding, REPLACEMENT, UTF_8, UTF_16BE, UTF_16LE};

/// `bytes` as UTF-8; `charset` is the HTTP `Content-Type`'s, if any. `Err`
/// says why they cannot be decoded, naming the encoding.
pub fn to_utf8(bytes: Vec<u8>, charset: Option<&str>) -> Result<Vec<u8>, String> {
    let (encoding, body, named) = match which(&bytes, charset)? {
        Found::Bom(encoding, len) => (encoding, &bytes[len..], encoding.name().to_owned()),
        Found::Named(encoding, named) => (encoding, &bytes[..], named),
    };
    if encoding == UTF_8 {
        // As it was (quick-xml's errors then give the line of a bad byte),
        // but for a declaration that names another encoding.
        let mut bytes = bytes;
        if let Some(value) = declared(&bytes)
            && Encoding::for_label(&bytes[value.clone()]) != Some(UTF_8)
        {
            bytes.splice(value, *b"UTF-8");
        }
        return Ok(bytes);
    }
    let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(body) else {
        return Err(format!(
            "it is not valid `{named}`, the encoding it is said to be in: some of its bytes mean nothing in it"
        ));
    };
    let mut text = text.into_owned();
    if let Some(value) = declared(text.as_bytes()) {
        text.replace_range(value, "UTF-8");
    }
    Ok(text.into_bytes())
}

/// The encoding `bytes` are in, and how it was found.
enum Found {
    /// By its byte-order mark, this many bytes long.
    Bom(&'static Encoding, usize),
    /// By a name (the declaration's or the charset's, as written there), or
    /// UTF-8 for want of one.
    Named(&'static Encoding, String),
}

fn which(bytes: &[u8], charset: Option<&str>) -> Result<Found, String> {
    if let Some((encoding, len)) = Encoding::for_bom(bytes) {
        return Ok(Found::Bom(encoding, len));
    }
    // UTF-16 without a byte-order mark: a declaration's `<?` in two-byte
    // characters (XML 1.0, appendix F).
    if bytes.starts_with(b"<\0?\0") {
        return Ok(Found::Named(UTF_16LE, UTF_16LE.name().to_owned()));
    }
    if bytes.starts_with(b"\0<\0?") {
        return Ok(Found::Named(UTF_16BE, UTF_16BE.name().to_owned()));
    }
    let (label, whose) = match (declared(bytes), charset) {
        (Some(value), _) => (
            String::from_utf8_lossy(&bytes[value]),
            "its XML declaration",
        ),
        (None, Some(charset)) => (Cow::Borrowed(charset), "the server's `Content-Type`"),
        (None, None) => return Ok(Found::Named(UTF_8, UTF_8.name().to_owned())),
    };
    let label = label.trim();
    match Encoding::for_label(label.as_bytes()) {
        // A name read in one-byte characters cannot be true of UTF-16: the
        // bytes are ASCII-compatible, so read them as UTF-8, as browsers do.
        Some(encoding) if encoding == UTF_16LE || encoding == UTF_16BE => {
            Ok(Found::Named(UTF_8, label.to_owned()))
        }
        Some(encoding) if encoding != REPLACEMENT => Ok(Found::Named(encoding, label.to_owned())),
        _ => Err(format!(
            "it is in the encoding `{label}` ({whose} says so), which gazette cannot decode; ask its publisher for UTF-8"
        )),
    }
}

/// Where the value of the XML declaration's `encoding` is in `bytes`, if
/// they start with a declaration that has one.
fn declared(bytes: &[u8]) -> Option<Range<usize>> {
    let rest = bytes.strip_prefix(b"<?xml")?;
    if !rest.first().is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    let end = 5 + rest.windows(2).position(|w| w == b"?>")?;
    let declaration = &bytes[..end];
    let name = declaration.windows(8).position(|w| w == b"encoding")? + 8;
    let mut at = name;
    let skip = |at: &mut usize| {
        while declaration.get(*at).is_some_and(u8::is_ascii_whitespace) {
            *at += 1;
        }
    };
    skip(&mut at);
    if declaration.get(at) != Some(&b'=') {
        return None;
    }
    at += 1;
    skip(&mut at);
    let quote = *declaration.get(at).filter(|q| matches!(q, b'"' | b'\''))?;
    let start = at + 1;
    let len = declaration[start..].iter().position(|&b| b == quote)?;
    Some(start..start + len)
}

/// The `charset` parameter of an HTTP `Content-Type`, if it has one.
pub fn charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|v| !v.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = "<?xml version=\"1.0\" encoding=\"ENC\"?>\n<rss><channel><title>Café</title></channel></rss>";

    fn in_encoding(label: &str, encoding: &'static Encoding) -> Vec<u8> {
        encoding.encode(&RSS.replace("ENC", label)).0.into_owned()
    }

    fn utf8(label_after: &str) -> Vec<u8> {
        RSS.replace("ENC", label_after).into_bytes()
    }

    // A declared one-byte encoding is decoded, and the declaration then says UTF-8.
    #[test]
    fn decodes_what_the_declaration_names() {
        let latin1 = in_encoding("ISO-8859-1", encoding_rs::WINDOWS_1252);
        assert_ne!(latin1, utf8("ISO-8859-1"));
        assert_eq!(to_utf8(latin1, None), Ok(utf8("UTF-8")));
    }

    // A byte-order mark wins over the declaration and the charset.
    #[test]
    fn the_bom_comes_first() {
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in RSS.replace("ENC", "UTF-16").encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        assert_eq!(to_utf8(utf16, Some("ISO-8859-2")), Ok(utf8("UTF-8")));
    }

    // With no declared encoding, the server's charset decides.
    #[test]
    fn then_the_charset() {
        let text = "<rss><channel><title>Café</title></channel></rss>";
        let latin1 = encoding_rs::WINDOWS_1252.encode(text).0.into_owned();
        assert_eq!(to_utf8(latin1.clone(), Some("iso-8859-1")), Ok(text.into()));
        assert_eq!(to_utf8(latin1.clone(), None), Ok(latin1));
        assert_eq!(
            charset("application/rss+xml; Charset=\"ISO-8859-1\""),
            Some("ISO-8859-1".to_owned())
        );
        assert_eq!(charset("application/xml"), None);
    }

    // An encoding gazette cannot decode is named in the error.
    #[test]
    fn names_what_it_cannot_decode() {
        let why = to_utf8(utf8("EBCDIC-FR"), None).expect_err("refused");
        assert!(
            why.contains("`EBCDIC-FR` (its XML declaration says so)"),
            "{why}"
        );
        let why = to_utf8(utf8("ISO-2022-KR"), None).expect_err("refused");
        assert!(why.contains("`ISO-2022-KR`"), "{why}");
    }
}
