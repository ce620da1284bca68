//! The CSS side of the one-pass inliner: a plain stylesheet parsed once,
//! and the rules that match an element among the open ones.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use super::html::Element;

/// A stylesheet of plain rules, parsed once.
pub(super) struct Sheet {
    /// In the order css-inline applies them: rule by rule, then selector by
    /// selector within a rule.
    pub(super) selectors: Vec<Selector>,
    pub(super) declarations: Vec<(String, String)>,
    pub(super) by_id: FxHashMap<String, Vec<usize>>,
    pub(super) by_class: FxHashMap<String, Vec<usize>>,
    pub(super) by_tag: FxHashMap<String, Vec<usize>>,
    pub(super) any: Vec<usize>,
    /// Every element name a selector names.
    pub(super) tags: Vec<String>,
    /// The classes asked of ancestors (`.prose` of `.prose p`), each a bit
    /// of a mask; none past 64 of them (then ancestors' classes are read).
    pub(super) ancestor_classes: FxHashMap<String, u64>,
}

pub(super) struct Selector {
    /// The rightmost last; each a descendant of the one before.
    pub(super) compounds: Vec<Compound>,
    /// The bits of the classes its ancestors must have.
    pub(super) ancestors: u64,
    pub(super) specificity: u32,
    pub(super) declarations: Range<usize>,
}

#[derive(Default)]
pub(super) struct Compound {
    pub(super) tag: Option<String>,
    pub(super) id: Option<String>,
    pub(super) classes: Vec<String>,
    /// Of an ancestor's compound: the bits of its classes.
    pub(super) mask: u64,
}

impl Compound {
    pub(super) fn matches(&self, element: &Element<'_>) -> bool {
        self.tag.as_ref().is_none_or(|t| element.is(t))
            && self
                .id
                .as_ref()
                .is_none_or(|id| element.id == Some(id.as_str()))
            && self.classes.iter().all(|c| element.has_class(c))
    }

    /// [`Compound::matches`] for an open element, its classes read from
    /// its mask when the sheet has masks.
    pub(super) fn matches_open(&self, element: &Element<'_>, masks: bool) -> bool {
        if !masks {
            return self.matches(element);
        }
        self.tag.as_ref().is_none_or(|t| element.is(t))
            && self
                .id
                .as_ref()
                .is_none_or(|id| element.id == Some(id.as_str()))
            && element.mask & self.mask == self.mask
    }
}

/// The stylesheets seen in this process, parsed (`None`: not plain).
pub(super) static SHEETS: Mutex<Vec<(String, Option<Arc<Sheet>>)>> = Mutex::new(Vec::new());

impl Sheet {
    pub(super) fn cached(css: &str) -> Option<Arc<Sheet>> {
        let mut sheets = SHEETS.lock().ok()?;
        if let Some((_, sheet)) = sheets.iter().find(|(c, _)| c == css) {
            return sheet.clone();
        }
        let sheet = Sheet::parse(css).map(Arc::new);
        // A theme has one or two (with the code palette); a bound all the same.
        if sheets.len() >= 16 {
            sheets.remove(0);
        }
        sheets.push((css.to_owned(), sheet.clone()));
        sheet
    }

    pub(super) fn parse(css: &str) -> Option<Sheet> {
        let mut sheet = Sheet {
            selectors: Vec::new(),
            declarations: Vec::new(),
            by_id: FxHashMap::default(),
            by_class: FxHashMap::default(),
            by_tag: FxHashMap::default(),
            any: Vec::new(),
            tags: Vec::new(),
            ancestor_classes: FxHashMap::default(),
        };
        let mut rest = css;
        loop {
            rest = skip_comments(rest)?;
            if rest.is_empty() {
                break;
            }
            let open = rest.find('{')?;
            let prelude = &rest[..open];
            let close = open + rest[open..].find('}')?;
            let body = &rest[open + 1..close];
            rest = &rest[close + 1..];
            if prelude.contains(['@', '/', '\\', '"', '\'', '}']) || body.contains(['{', '\\', '!'])
            {
                return None;
            }
            if body.contains("/*") || body.contains("var(") || body.contains("--") {
                return None;
            }
            let start = sheet.declarations.len();
            for declaration in split_declarations(body)? {
                sheet.declarations.push(declaration);
            }
            let declarations = start..sheet.declarations.len();
            for selector in prelude.split(',') {
                let selector = parse_selector(selector, declarations.clone())?;
                let index = sheet.selectors.len();
                let key = selector.compounds.last()?;
                let list = if let Some(id) = &key.id {
                    sheet.by_id.entry(id.clone()).or_default()
                } else if let Some(class) = key.classes.first() {
                    sheet.by_class.entry(class.clone()).or_default()
                } else if let Some(tag) = &key.tag {
                    sheet.by_tag.entry(tag.clone()).or_default()
                } else {
                    &mut sheet.any
                };
                list.push(index);
                for tag in selector.compounds.iter().filter_map(|c| c.tag.as_ref()) {
                    if !sheet.tags.contains(tag) {
                        sheet.tags.push(tag.clone());
                    }
                }
                sheet.selectors.push(selector);
            }
        }
        sheet.mask_ancestors();
        Some(sheet)
    }

    /// Gives each class asked of an ancestor a bit, when there are at most 64.
    pub(super) fn mask_ancestors(&mut self) {
        let mut bits = FxHashMap::default();
        for selector in &self.selectors {
            let ancestors = &selector.compounds[..selector.compounds.len().saturating_sub(1)];
            for class in ancestors.iter().flat_map(|c| &c.classes) {
                let next = bits.len();
                bits.entry(class.clone()).or_insert(next);
            }
        }
        if bits.len() > 64 {
            return;
        }
        for selector in &mut self.selectors {
            let last = selector.compounds.len().saturating_sub(1);
            for compound in &mut selector.compounds[..last] {
                compound.mask = (compound.classes.iter()).fold(0, |m, c| m | 1 << bits[c]);
                selector.ancestors |= compound.mask;
            }
        }
        self.ancestor_classes = bits.into_iter().map(|(c, b)| (c, 1 << b)).collect();
    }

    /// The bits of the classes in `class` (an attribute's value) that are
    /// asked of ancestors.
    pub(super) fn ancestor_mask(&self, class: &str) -> u64 {
        if self.ancestor_classes.is_empty() {
            return 0;
        }
        (class.split_ascii_whitespace())
            .filter_map(|c| self.ancestor_classes.get(c))
            .fold(0, |m, b| m | b)
    }

    /// The declarations of the rules that match `element`, in css-inline's
    /// order: by specificity, then as they came. `None` past what it sorts
    /// the same way (more than 16 properties on one element).
    pub(super) fn styles_of<'s>(
        &'s self,
        element: &Element<'_>,
        open: &[Element<'_>],
        styles: &mut Vec<(&'s str, u32, &'s str)>,
        candidates: &mut Vec<usize>,
    ) -> Option<()> {
        candidates.clear();
        if let Some(list) = element.id.and_then(|id| self.by_id.get(id)) {
            candidates.extend(list);
        }
        for class in element.class.split_ascii_whitespace() {
            if let Some(list) = self.by_class.get(class) {
                candidates.extend(list);
            }
        }
        if !self.by_tag.is_empty() {
            let name = match element.name.bytes().any(|b| b.is_ascii_uppercase()) {
                true => std::borrow::Cow::Owned(element.name.to_ascii_lowercase()),
                false => std::borrow::Cow::Borrowed(element.name),
            };
            if let Some(list) = self.by_tag.get(name.as_ref()) {
                candidates.extend(list);
            }
        }
        candidates.extend(&self.any);
        if candidates.is_empty() {
            return Some(());
        }
        candidates.sort_unstable();
        candidates.dedup();
        for &index in candidates.iter() {
            let selector = &self.selectors[index];
            if !selector.matches(element, open, !self.ancestor_classes.is_empty()) {
                continue;
            }
            for (name, value) in &self.declarations[selector.declarations.clone()] {
                match styles.iter_mut().find(|(n, _, _)| n == name) {
                    Some(entry) if entry.1 <= selector.specificity => {
                        entry.1 = selector.specificity;
                        entry.2 = value;
                    }
                    Some(_) => {}
                    None => styles.push((name, selector.specificity, value)),
                }
            }
        }
        if styles.len() > 16 {
            return None;
        }
        styles.sort_by_key(|s| s.1);
        Some(())
    }
}

impl Selector {
    /// Whether it matches `element`, in the `open` elements; `masks`: the
    /// sheet gave the classes asked of ancestors bits.
    pub(super) fn matches(&self, element: &Element<'_>, open: &[Element<'_>], masks: bool) -> bool {
        let Some((last, ancestors)) = self.compounds.split_last() else {
            return false;
        };
        if !last.matches(element) {
            return false;
        }
        // A class asked of an ancestor that no open element has.
        if masks && open.last().map_or(0, |e| e.below) & self.ancestors != self.ancestors {
            return false;
        }
        // Descendants only: the nearest ancestor that matches is as good as any.
        let mut above = open.len();
        for compound in ancestors.iter().rev() {
            match open[..above]
                .iter()
                .rposition(|e| compound.matches_open(e, masks))
            {
                Some(at) => above = at,
                None => return false,
            }
        }
        true
    }
}

/// `css` past whitespace and comments.
pub(super) fn skip_comments(mut css: &str) -> Option<&str> {
    loop {
        css = css.trim_start();
        match css.strip_prefix("/*") {
            Some(comment) => css = &comment[comment.find("*/")? + 2..],
            None => return Some(css),
        }
    }
}

/// `color: red; font-family: 'A; B'` as pairs, values as written, trimmed.
pub(super) fn split_declarations(body: &str) -> Option<Vec<(String, String)>> {
    let mut declarations = Vec::new();
    let mut quote = None;
    let mut depth = 0usize;
    let mut from = 0;
    for (i, b) in body.bytes().enumerate().chain([(body.len(), b';')]) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'(') => depth += 1,
            (None, b')') => depth = depth.checked_sub(1)?,
            (None, b';') if depth == 0 => {
                let declaration = body[from..i.min(body.len())].trim();
                from = i + 1;
                if declaration.is_empty() {
                    continue;
                }
                let (name, value) = declaration.split_once(':')?;
                let (name, value) = (name.trim(), value.trim());
                if name.is_empty()
                    || value.is_empty()
                    || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    return None;
                }
                declarations.push((name.to_owned(), value.to_owned()));
            }
            _ => {}
        }
    }
    (quote.is_none() && depth == 0).then_some(declarations)
}

/// `.a p`, `td.x`, `#top`: compounds of a tag, an id and classes, joined by
/// spaces; `None` for any other selector.
pub(super) fn parse_selector(text: &str, declarations: Range<usize>) -> Option<Selector> {
    let mut compounds = Vec::new();
    let (mut ids, mut classes, mut tags) = (0u32, 0u32, 0u32);
    for part in text.split_ascii_whitespace() {
        let mut compound = Compound::default();
        let mut rest = part;
        let head_end = rest.find(['.', '#']).unwrap_or(rest.len());
        let head = &rest[..head_end];
        rest = &rest[head_end..];
        match head {
            "" => {}
            "*" => {}
            tag if is_ident(tag) => {
                compound.tag = Some(tag.to_ascii_lowercase());
                tags += 1;
            }
            _ => return None,
        }
        while !rest.is_empty() {
            let kind = rest.as_bytes()[0];
            let end = rest[1..].find(['.', '#']).map_or(rest.len(), |i| i + 1);
            let name = &rest[1..end];
            if !is_ident(name) {
                return None;
            }
            if kind == b'#' {
                if compound.id.is_some() {
                    return None;
                }
                compound.id = Some(name.to_owned());
                ids += 1;
            } else {
                compound.classes.push(name.to_owned());
                classes += 1;
            }
            rest = &rest[end..];
        }
        compounds.push(compound);
    }
    if compounds.is_empty() || ids >= 1024 || classes >= 1024 || tags >= 1024 {
        return None;
    }
    Some(Selector {
        compounds,
        ancestors: 0,
        // As the `selectors` crate packs it for css-inline.
        specificity: ids << 20 | classes << 10 | tags,
        declarations,
    })
}

pub(super) fn is_ident(name: &str) -> bool {
    let rest = name.strip_prefix('-').unwrap_or(name);
    rest.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}
