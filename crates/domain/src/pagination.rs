//! Keyset pagination: a page is the rows after a key, never an offset.

/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Page size when the client does not ask.
pub const DEFAULT_PAGE_SIZE: u32 = 20;

/// A request for the rows ordered after `after` (exclusive), at most `size` of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub size: u32,
    pub after: Option<String>,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            size: DEFAULT_PAGE_SIZE,
            after: None,
        }
    }
}

/// One page of rows and the key to continue after, if there are more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_after: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from `size + 1` fetched rows: the extra row only proves there is a next page.
    pub fn from_overfetch(mut rows: Vec<T>, size: u32, key: impl Fn(&T) -> String) -> Self {
        let size = size as usize;
        let next_after = if rows.len() > size {
            rows.truncate(size);
            rows.last().map(key)
        } else {
            None
        };
        Self {
            items: rows,
            next_after,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overfetch_sets_the_next_key_only_when_there_is_more() {
        let page = Page::from_overfetch(vec![1, 2, 3], 2, |n| n.to_string());
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next_after.as_deref(), Some("2"));
        let last = Page::from_overfetch(vec![1, 2], 2, |n| n.to_string());
        assert_eq!(last.next_after, None);
    }
}
