//! Pagination: a list that grows with the site (a tag's or an outlet's
//! entries, every issue) cut into pages of at most `paginate` items.
//!
//! Takes the path of the list's page and how many items it lists, and
//! returns its [`Pages`]: page 1 at the list's own path, so the URL of a
//! list does not change when it outgrows one page, and page N at
//! `<path>page/N/` ([`urls::list_page`]). Each page has the range of items
//! it shows, in the list's order (read one after the other, the pages are
//! the list as one page would show it), its title and the `paginator`
//! value its template gets.

use std::ops::Range;

use tera::Value;

use super::values::map;
use crate::config::Config;
use crate::site::urls;

/// One page of a list.
pub struct Pager {
    /// From 1.
    pub number: usize,
    /// Its site path: `tags/ai/`, `tags/ai/page/2/`.
    pub path: String,
    /// The items of the list it shows.
    pub items: Range<usize>,
}

impl Pager {
    /// The items of this page of a list made of `first` then `second` (a
    /// tag's stories, then its entries): the part of each it shows.
    pub fn split<'a, T>(&self, first: &'a [T], second: &'a [T]) -> (&'a [T], &'a [T]) {
        let (start, end, n) = (self.items.start, self.items.end, first.len());
        (
            &first[start.min(n)..end.min(n)],
            &second[start.max(n) - n..end.max(n) - n],
        )
    }
}

/// Every page of one list.
pub struct Pages {
    pagers: Vec<Pager>,
    per_page: usize,
    total_items: usize,
    /// `[{number, url, permalink}]`, built once and shared by every page.
    links: Vec<Value>,
}

impl Pages {
    /// The pages of a list of `len` items whose first page is at
    /// `list_path`, at most `config.paginate` items a page. An empty list
    /// still has its page, saying so.
    pub fn new(config: &Config, list_path: &str, len: usize) -> Pages {
        let per_page = config.paginate.max(1);
        let count = len.div_ceil(per_page).max(1);
        let pagers: Vec<Pager> = (1..=count)
            .map(|number| Pager {
                number,
                path: urls::list_page(list_path, number),
                items: (number - 1) * per_page..(number * per_page).min(len),
            })
            .collect();
        let links = pagers
            .iter()
            .map(|p| {
                map([
                    ("number", p.number.into()),
                    ("url", config.url(&p.path).into()),
                    ("permalink", config.permalink(&p.path).into()),
                ])
            })
            .collect();
        Pages {
            pagers,
            per_page,
            total_items: len,
            links,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Pager> {
        self.pagers.iter()
    }

    /// The title of `pager`'s page: the list's `title` on page 1, and
    /// "ai, page 2 of 7" after it, so that tabs, bookmarks and search
    /// results tell the pages apart.
    pub fn title(&self, words: &crate::config::Words, title: &str, pager: &Pager) -> String {
        if pager.number == 1 {
            title.to_owned()
        } else {
            let (number, total) = (pager.number.to_string(), self.pagers.len().to_string());
            let args = [("title", title), ("number", &number), ("total", &total)];
            words.text("page_title", &args)
        }
    }

    /// The `paginator` value of `pager`'s page, `items` being the items it
    /// shows.
    pub fn value(&self, pager: &Pager, items: Value) -> Value {
        let link = |number: usize| {
            number
                .checked_sub(1)
                .and_then(|i| self.links.get(i))
                .cloned()
                .unwrap_or_else(Value::none)
        };
        map([
            ("number", pager.number.into()),
            ("total", self.pagers.len().into()),
            ("per_page", self.per_page.into()),
            ("total_items", self.total_items.into()),
            ("items", items),
            ("first", link(1)),
            ("last", link(self.pagers.len())),
            ("prev", link(pager.number - 1)),
            ("next", link(pager.number + 1)),
            ("pages", Value::from(self.links.clone())),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(len: usize, per_page: usize) -> Pages {
        let mut config = crate::config::tests::config();
        config.paginate = per_page;
        Pages::new(&config, "tags/ai/", len)
    }

    // Items are cut in order into pages of `paginate`, the last one shorter;
    // page 1 keeps the list's own path.
    #[test]
    fn cuts_items_in_order() {
        let pages = list(101, 50);
        let cut: Vec<(usize, &str, Range<usize>)> = pages
            .iter()
            .map(|p| (p.number, p.path.as_str(), p.items.clone()))
            .collect();
        assert_eq!(
            cut,
            [
                (1, "tags/ai/", 0..50),
                (2, "tags/ai/page/2/", 50..100),
                (3, "tags/ai/page/3/", 100..101),
            ]
        );
        assert_eq!(list(50, 50).iter().count(), 1, "50 items fit on one page");
        let empty: Vec<(usize, usize)> = list(0, 50)
            .iter()
            .map(|p| (p.items.start, p.items.end))
            .collect();
        assert_eq!(empty, [(0, 0)], "an empty list still has its page");
    }

    // A page of two lists read as one takes the end of the first and the
    // start of the second.
    #[test]
    fn splits_two_lists_read_as_one() {
        let (stories, entries) = ([1, 2, 3], [4, 5, 6, 7]);
        let cut: Vec<(Vec<i32>, Vec<i32>)> = list(7, 2)
            .iter()
            .map(|p| {
                let (a, b) = p.split(&stories, &entries);
                (a.to_vec(), b.to_vec())
            })
            .collect();
        assert_eq!(
            cut,
            [
                (vec![1, 2], vec![]),
                (vec![3], vec![4]),
                (vec![], vec![5, 6]),
                (vec![], vec![7]),
            ]
        );
    }

    // The paginator links the pages around this one, with none past the ends,
    // and titles say which page of how many.
    #[test]
    fn paginator_links_neighbours() {
        let pages = list(5, 2);
        let all: Vec<&Pager> = pages.iter().collect();
        let value = pages.value(all[0], Value::none());
        let get = |v: &Value, path: &str| v.get_from_path(path).cloned();
        assert_eq!(get(&value, "total"), Some(3.into()));
        assert_eq!(get(&value, "prev"), Some(Value::none()));
        assert_eq!(
            get(&value, "next.permalink"),
            Some("https://a.example/tags/ai/page/2/".into())
        );
        let value = pages.value(all[2], Value::none());
        assert_eq!(get(&value, "prev.url"), Some("/tags/ai/page/2/".into()));
        assert_eq!(get(&value, "next"), Some(Value::none()));
        assert_eq!(get(&value, "last.number"), Some(3.into()));
        assert_eq!(
            pages.title(&crate::config::Words::english(), "ai", all[0]),
            "ai"
        );
        assert_eq!(
            pages.title(&crate::config::Words::english(), "ai", all[2]),
            "ai, page 3 of 3"
        );
    }
}
