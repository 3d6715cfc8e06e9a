//! The texts of a response body's long numbers, by where they sit in the body.
//!
//! The body is parsed into a `serde_json::Value`, which keeps a number as its nearest double,
//! exact for every text of at most 15 significant digits and for every double's shortest text.
//! A longer text, such as an epoch-seconds timestamp with nanoseconds
//! (`1700000000.123456789`, 19 digits), loses digits there. While a response is read, its
//! reader keeps the text of every number of more than 15 significant digits, keyed by its
//! place in the body (`Items[3].CreationTime`), so that [`super::number`] reads such a
//! timestamp from its own digits. A body without such numbers (nearly every one) costs one scan
//! for long digit runs.

use std::cell::RefCell;
use std::collections::HashMap;

use super::path::Path;

/// One step from a value to a value inside it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Step {
    Key(String),
    Index(usize),
}

/// The texts of the long numbers of one body.
#[derive(Debug, Default)]
struct LongNumbers(HashMap<Vec<Step>, String>);

thread_local! {
    /// The long numbers of the body being read on this thread, while it is read.
    static READING: RefCell<Option<LongNumbers>> = const { RefCell::new(None) };
}

/// Runs `read` (which reads values parsed from `body`) with the texts of `body`'s long numbers
/// at hand for [`text_at`]. Reading is synchronous, so the texts live exactly as long as it.
pub(crate) fn reading<R>(body: &[u8], read: impl FnOnce() -> R) -> R {
    // Everything but the call is in the non-generic `LongNumbersInScope`, so that the part
    // compiled once per output type is a line long.
    let _in_scope = LongNumbersInScope::enter(body);
    read()
}

/// The long numbers of a body being read, in [`READING`] while this lives; the texts of an
/// outer reading, if any, are put back when it is dropped.
struct LongNumbersInScope {
    /// `None` when the body has no long numbers and `READING` was left as it was.
    outer: Option<Option<LongNumbers>>,
}

impl LongNumbersInScope {
    fn enter(body: &[u8]) -> Self {
        let numbers = if has_long_digit_run(body) { scan(body) } else { None };
        let outer = numbers.is_some().then(|| READING.with(|reading| reading.replace(numbers)));
        LongNumbersInScope { outer }
    }
}

impl Drop for LongNumbersInScope {
    fn drop(&mut self) {
        if let Some(outer) = self.outer.take() {
            READING.with(|reading| reading.replace(outer));
        }
    }
}

/// The wire text of the long number at `path` of the body being read, if there is one.
pub(crate) fn text_at(path: &Path<'_>) -> Option<String> {
    READING.with(|reading| {
        let reading = reading.borrow();
        let numbers = reading.as_ref()?;
        numbers.0.get(&steps(path)).cloned()
    })
}

fn steps(path: &Path<'_>) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut at = path;
    loop {
        match at {
            Path::Root => break,
            Path::Key(parent, key) => {
                steps.push(Step::Key((*key).to_string()));
                at = parent;
            }
            Path::Index(parent, index) => {
                steps.push(Step::Index(*index));
                at = parent;
            }
        }
    }
    steps.reverse();
    steps
}

/// More significant digits than this, and a number's text may not be its double's.
const EXACT_DIGITS: usize = 15;

/// Whether `body` has a run of more than [`EXACT_DIGITS`] digits and dots, which a long number
/// needs: the cheap test that spares nearly every body the scan.
fn has_long_digit_run(body: &[u8]) -> bool {
    let mut run = 0;
    for byte in body {
        if byte.is_ascii_digit() || *byte == b'.' {
            run += 1;
            if run > EXACT_DIGITS {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// Where the scan is inside one container.
enum Frame {
    /// In an object: the key of the current member, and whether a key comes next.
    Object { key: Option<String>, key_next: bool },
    /// In an array: the index of the current element.
    Array { index: usize },
}

/// The long numbers of `body` by their place; `None` when there are none or the body is not
/// JSON (then the parser reports it, and nothing is read).
fn scan(body: &[u8]) -> Option<LongNumbers> {
    let mut numbers = LongNumbers::default();
    let mut frames: Vec<Frame> = Vec::new();
    let mut at = 0;
    while at < body.len() {
        match body[at] {
            b'{' => frames.push(Frame::Object { key: None, key_next: true }),
            b'[' => frames.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object { key_next, .. }) => *key_next = true,
                Some(Frame::Array { index }) => *index += 1,
                None => return None,
            },
            b'"' => {
                let end = string_end(body, at)?;
                if let Some(Frame::Object { key, key_next }) = frames.last_mut()
                    && *key_next
                {
                    *key = Some(serde_json::from_slice(&body[at..end]).ok()?);
                    *key_next = false;
                }
                at = end;
                continue;
            }
            b'-' | b'0'..=b'9' => {
                let end = at + body[at..].iter().take_while(|b| b"+-.eE0123456789".contains(b)).count();
                let text = std::str::from_utf8(&body[at..end]).ok()?;
                if significant_digits(text) > EXACT_DIGITS {
                    numbers.0.insert(place(&frames)?, text.to_string());
                }
                at = end;
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    (!numbers.0.is_empty()).then_some(numbers)
}

/// Where the string starting at `start` (its opening quote) ends: just after its closing quote.
fn string_end(body: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    while at < body.len() {
        match body[at] {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// The place of the current value.
fn place(frames: &[Frame]) -> Option<Vec<Step>> {
    frames
        .iter()
        .map(|frame| match frame {
            Frame::Object { key, .. } => key.clone().map(Step::Key),
            Frame::Array { index } => Some(Step::Index(*index)),
        })
        .collect()
}

/// The significant digits of a number's text: those of its mantissa, leading zeros aside.
fn significant_digits(text: &str) -> usize {
    let mantissa = text.split(['e', 'E']).next().unwrap_or_default();
    mantissa.bytes().filter(u8::is_ascii_digit).skip_while(|digit| *digit == b'0').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = scan(body.as_bytes())
            .map(|numbers| numbers.0.into_iter().map(|(steps, text)| (format!("{steps:?}"), text)).collect())
            .unwrap_or_default();
        found.sort();
        found
    }

    #[test]
    fn long_numbers_are_kept_by_their_place_and_short_ones_are_not() {
        let body = r#"{"A": 1700000000.123456789, "B": [1.5, {"C\"d": -1234567890.1234567e0}], "E": "1700000000.123456789", "F": 0.000000000000000001}"#;
        assert_eq!(
            texts(body),
            vec![
                (r#"[Key("A")]"#.to_string(), "1700000000.123456789".to_string()),
                (r#"[Key("B"), Index(1), Key("C\"d")]"#.to_string(), "-1234567890.1234567e0".to_string()),
            ]
        );
        assert!(texts(r#"{"A": 1.5, "B": [1, 2, 3], "C": "123456789012345678"}"#).is_empty());
    }

    #[test]
    fn the_text_is_found_by_the_path_the_reader_walks() {
        let body = br#"{"Items": [{"T": 1}, {"T": 1700000000.123456789}]}"#;
        let root = Path::Root;
        let items = root.key("Items");
        let second = items.index(1);
        let time = second.key("T");
        let found = reading(body, || text_at(&time));
        assert_eq!(found.as_deref(), Some("1700000000.123456789"));
        assert_eq!(text_at(&time), None, "only while the body is read");
    }

    #[test]
    fn a_malformed_body_keeps_nothing() {
        for body in [&b"{\"A\": \"unterminated"[..], b"1234567890123456789,]", b"{\"A\": [1234567890.1234567"] {
            let _ = scan(body);
        }
        assert!(scan(b"{\"A\": 12345678901234567}").is_some());
    }
}
