//! Pages of a list that can grow (the incident list, a timeline): at most `limit` items and an
//! opaque cursor for the next page. A cursor is the position of the last item handed out, as
//! URL-safe base64 of a small JSON value; the client only hands it back.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::error::FieldError;

/// Items per page when the caller does not say.
pub const DEFAULT_LIMIT: usize = 50;
/// The most items a page holds.
pub const MAX_LIMIT: usize = 500;

/// A page asked for: its size and where the previous page ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<C> {
    /// At most this many items (1 to [`MAX_LIMIT`]).
    pub limit: usize,
    /// The position of the last item of the previous page; `None` for the first page.
    pub after: Option<C>,
}

/// One page: its items and, when more follow, the cursor of the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// The cursor of the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// A cursor that is not one this service handed out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cursor is not a cursor this service handed out; start again without it")]
pub struct MalformedCursor;

impl<C: DeserializeOwned> PageRequest<C> {
    /// The page that `limit` and `cursor` of a query ask for. A limit outside 1 to [`MAX_LIMIT`]
    /// is refused naming `limit`; a cursor that does not decode is [`MalformedCursor`].
    pub fn parse(
        limit: Option<i64>,
        cursor: Option<&str>,
    ) -> Result<Result<Self, MalformedCursor>, FieldError> {
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=MAX_LIMIT as i64).contains(&n) => n as usize,
            Some(_) => return Err(FieldError::new("limit", format!("must be from 1 to {MAX_LIMIT}"))),
        };
        let after = match cursor.filter(|c| !c.is_empty()) {
            None => None,
            Some(text) => match decode(text) {
                Some(position) => Some(position),
                None => return Ok(Err(MalformedCursor)),
            },
        };
        Ok(Ok(PageRequest { limit, after }))
    }
}

impl<C> PageRequest<C> {
    /// Cuts `fetched` (up to `limit + 1` items in list order) to a page: when there is one more
    /// than the limit, the next cursor is the position of the last item kept.
    pub fn page<T>(&self, mut fetched: Vec<T>, position: impl Fn(&T) -> C) -> Page<T>
    where
        C: Serialize,
    {
        let next_cursor = if fetched.len() > self.limit {
            fetched.truncate(self.limit);
            fetched.last().map(|last| encode(&position(last)))
        } else {
            None
        };
        Page { items: fetched, next_cursor }
    }
}

fn encode<C: Serialize>(position: &C) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).unwrap_or_default())
}

fn decode<C: DeserializeOwned>(text: &str) -> Option<C> {
    let bytes = URL_SAFE_NO_PAD.decode(text.as_bytes()).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_default_and_are_bounded() {
        let first = PageRequest::<i64>::parse(None, None).unwrap().unwrap();
        assert_eq!((first.limit, first.after), (DEFAULT_LIMIT, None));
        assert_eq!(PageRequest::<i64>::parse(Some(500), None).unwrap().unwrap().limit, 500);
        for bad in [0, -1, 501] {
            assert_eq!(PageRequest::<i64>::parse(Some(bad), None).unwrap_err().field, "limit");
        }
    }

    #[test]
    fn cursors_round_trip_and_strangers_are_refused() {
        let request = PageRequest { limit: 2, after: None::<i64> };
        let page = request.page(vec![10_i64, 11, 12], |n| *n);
        assert_eq!(page.items, [10, 11]);
        let next = page.next_cursor.unwrap();
        assert_eq!(PageRequest::<i64>::parse(None, Some(&next)).unwrap().unwrap().after, Some(11));
        assert_eq!(request.page(vec![10_i64, 11], |n| *n).next_cursor, None);
        for stranger in ["!!", "bm90IGpzb24", "eyJ4IjoxfQ"] {
            assert_eq!(PageRequest::<i64>::parse(None, Some(stranger)).unwrap(), Err(MalformedCursor));
        }
    }
}
