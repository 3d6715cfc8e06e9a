//! Percent-encoding of URI labels and query keys and values, as the REST protocols' suites
//! expect: every byte of the UTF-8 text is `%XX` (upper-case hex) except the unreserved
//! characters of RFC 3986 (`A-Z a-z 0-9 - _ . ~`), and `/` in greedy labels. A space is `%20`,
//! never `+`.

use std::fmt::Write as _;

/// Whether a byte is written as it is.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

/// `text` percent-encoded; `/` kept when `keep_slash` (a greedy label spans segments).
pub(crate) fn encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if is_unreserved(byte) || (keep_slash && byte == b'/') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode;

    /// The string of "Handles escaping all required characters in the query string." and of
    /// the second "Sends a GET request that uses URI label bindings" case.
    const EVERY_RESERVED: &str = " %:/?#[]@!$&'()*+,;=\u{1F639}";

    #[test]
    fn only_unreserved_characters_are_kept() {
        assert_eq!(
            encode(EVERY_RESERVED, false),
            "%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9"
        );
        assert_eq!(encode("AZaz09-_.~", false), "AZaz09-_.~");
        assert_eq!(encode("Hello there", false), "Hello%20there");
    }

    #[test]
    fn greedy_labels_keep_slashes() {
        // "Serializes greedy labels and normal labels".
        assert_eq!(encode("there/guy", true), "there/guy");
        assert_eq!(encode("hello/escape", false), "hello%2Fescape");
        assert_eq!(encode("a b/c?", true), "a%20b/c%3F");
    }
}
