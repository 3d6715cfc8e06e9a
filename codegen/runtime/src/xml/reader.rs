//! The pull reader: quick-xml's tokens turned into elements that generated code walks child by
//! child, with the path of open elements kept for error messages and the nesting bounded.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::value::FromXmlText;
use super::{FromXml, XmlError, XmlErrorKind};

/// How deep elements may nest. AWS responses stay far below; a deeper body is hostile or broken.
pub const MAX_DEPTH: usize = 64;

/// An element open in the reader: its local name, and its position in a list or map.
struct Open {
    name: String,
    index: Option<usize>,
}

/// The tokenizer over a whole body, with the stack of open elements.
struct XmlReader<'b> {
    body: &'b str,
    tokens: Reader<&'b [u8]>,
    open: Vec<Open>,
    /// The last event read closed the top of `open`. It is popped only at the next read, so an
    /// element whose text was just read can still name its own path in an error.
    closed: bool,
}

impl<'b> XmlReader<'b> {
    fn new(body: &'b str) -> Self {
        let mut tokens = Reader::from_str(body);
        let config = tokens.config_mut();
        // `<a/>` arrives as a start and an end, so empty and full elements read the same way.
        config.expand_empty_elements = true;
        config.check_end_names = true;
        XmlReader { body, tokens, open: Vec::new(), closed: false }
    }

    /// How many elements are open.
    fn depth(&self) -> usize {
        self.open.len() - usize::from(self.closed)
    }

    /// The next event that matters: comments, processing instructions, the declaration and
    /// the DOCTYPE (whose entities are never expanded) are passed over.
    fn next_event(&mut self) -> Result<Event<'b>, XmlError> {
        if self.closed {
            self.open.pop();
            self.closed = false;
        }
        loop {
            let event = self.tokens.read_event().map_err(|e| self.malformed(e))?;
            match event {
                Event::Start(ref start) => {
                    if self.open.len() >= MAX_DEPTH {
                        return Err(
                            self.error(XmlErrorKind::TooDeep, format!("elements nest deeper than {MAX_DEPTH} levels"))
                        );
                    }
                    let name = local_name(start).to_string();
                    self.open.push(Open { name, index: None });
                }
                Event::End(_) => self.closed = true,
                Event::Eof if !self.open.is_empty() => {
                    return Err(self.error(XmlErrorKind::Truncated, "the body ends inside this element".into()));
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => continue,
                Event::Empty(_) => {
                    // Never produced while `expand_empty_elements` is set.
                    let offset = usize::try_from(self.tokens.buffer_position()).unwrap_or(0);
                    return Err(self.malformed_at(offset, "an unexpanded empty element".into()));
                }
                _ => {}
            }
            return Ok(event);
        }
    }

    /// Reads on until at most `depth` elements are open.
    fn close_to(&mut self, depth: usize) -> Result<(), XmlError> {
        while self.depth() > depth {
            self.next_event()?;
        }
        Ok(())
    }

    /// The path of the first `depth` open elements.
    fn path(&self, depth: usize) -> String {
        let mut out = String::new();
        for (at, open) in self.open.iter().take(depth).enumerate() {
            if at > 0 {
                out.push('/');
            }
            out.push_str(&open.name);
            if let Some(index) = open.index {
                out.push_str(&format!("[{index}]"));
            }
        }
        out
    }

    fn error(&self, kind: XmlErrorKind, message: String) -> XmlError {
        XmlError { kind, path: self.path(self.open.len()), message }
    }

    fn malformed(&self, error: quick_xml::Error) -> XmlError {
        use quick_xml::errors::{IllFormedError, SyntaxError};
        let truncated = match &error {
            quick_xml::Error::Syntax(SyntaxError::InvalidBangMarkup) => false,
            quick_xml::Error::Syntax(_) => true,
            quick_xml::Error::IllFormed(IllFormedError::MissingEndTag(_)) => true,
            _ => false,
        };
        if truncated {
            return self.error(XmlErrorKind::Truncated, format!("the body ends too early ({error})"));
        }
        let offset = usize::try_from(self.tokens.error_position()).unwrap_or(usize::MAX).min(self.body.len());
        self.malformed_at(offset, error.to_string())
    }

    fn malformed_at(&self, offset: usize, message: String) -> XmlError {
        let line = 1 + self.body.as_bytes()[..offset.min(self.body.len())].iter().filter(|&&b| b == b'\n').count();
        XmlError { kind: XmlErrorKind::Malformed { line, offset }, path: self.path(self.open.len()), message }
    }
}

fn local_name<'a>(start: &'a BytesStart<'_>) -> &'a str {
    start.local_name().into_inner()
}

/// Reads the body as one XML document: `read` gets its root element. What `read` leaves of the
/// root is passed over; after the root, only comments and whitespace may follow.
pub fn read_document<T>(
    body: &[u8],
    read: impl FnOnce(&mut XmlElement<'_, '_>) -> Result<T, XmlError>,
) -> Result<T, XmlError> {
    let text = std::str::from_utf8(body).map_err(|e| XmlError {
        kind: XmlErrorKind::InvalidUtf8 { offset: e.valid_up_to() },
        path: String::new(),
        message: format!("the body is not UTF-8 from byte {} on", e.valid_up_to()),
    })?;
    let mut reader = XmlReader::new(text);
    let start = loop {
        match reader.next_event()? {
            Event::Start(start) => break start,
            Event::Eof => {
                return Err(reader.error(XmlErrorKind::Truncated, "the body has no root element".into()));
            }
            Event::Text(text) if is_blank(&text) => {}
            _ => {
                let offset = usize::try_from(reader.tokens.buffer_position()).unwrap_or(0);
                return Err(reader.malformed_at(offset, "content before the root element".into()));
            }
        }
    };
    let mut root = XmlElement { reader: &mut reader, start, depth: 1 };
    let value = read(&mut root)?;
    root.skip()?;
    loop {
        match reader.next_event()? {
            Event::Eof => return Ok(value),
            Event::Text(text) if is_blank(&text) => {}
            _ => {
                let offset = usize::try_from(reader.tokens.buffer_position()).unwrap_or(0);
                return Err(reader.malformed_at(offset, "content after the root element".into()));
            }
        }
    }
}

fn is_blank(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_whitespace())
}

/// One element of the body, open in the reader. Reading its children, its text or skipping it
/// moves the reader on; a child left half-read is passed over by the next
/// [`next_child`](Self::next_child).
pub struct XmlElement<'r, 'b> {
    reader: &'r mut XmlReader<'b>,
    start: BytesStart<'b>,
    /// How many elements are open while the reader is inside this one (the root's is 1).
    depth: usize,
}

impl<'b> XmlElement<'_, 'b> {
    /// The element's name without its namespace prefix: `Tags` for `<ns:Tags>`.
    pub fn local_name(&self) -> &str {
        local_name(&self.start)
    }

    /// The path of this element from the root, as errors give it.
    pub fn path(&self) -> String {
        self.reader.path(self.depth)
    }

    /// Whether the reader is still inside this element.
    fn is_open(&self) -> bool {
        self.reader.depth() >= self.depth
    }

    /// The next child element, or `None` at this element's end. Text between children is
    /// passed over; so is whatever a previous child left unread.
    pub fn next_child(&mut self) -> Result<Option<XmlElement<'_, 'b>>, XmlError> {
        if !self.is_open() {
            return Ok(None);
        }
        self.reader.close_to(self.depth)?;
        loop {
            match self.reader.next_event()? {
                Event::Start(start) => {
                    return Ok(Some(XmlElement { reader: &mut *self.reader, start, depth: self.depth + 1 }));
                }
                Event::End(_) => return Ok(None),
                _ => {}
            }
        }
    }

    /// Passes over the rest of this element, children and all.
    pub fn skip(&mut self) -> Result<(), XmlError> {
        self.reader.close_to(self.depth - 1)
    }

    /// The element's text: entities and character references decoded, CDATA sections
    /// included, whitespace kept. An element with child elements is an error.
    pub fn text(&mut self) -> Result<String, XmlError> {
        let mut out = String::new();
        if !self.is_open() {
            return Ok(out);
        }
        // Text is read at this element's own level, never from a child left half-read.
        self.reader.close_to(self.depth)?;
        loop {
            match self.reader.next_event()? {
                Event::Text(text) => out.push_str(&text.xml10_content()),
                Event::CData(data) => out.push_str(&data.xml10_content()),
                Event::GeneralRef(reference) => match resolve_reference(&reference) {
                    Some(Ok(c)) => out.push(c),
                    Some(Err(())) => {
                        let message = format!("`&{};` is not a valid character reference", &*reference);
                        return Err(self.reader.malformed_at(self.offset(), message));
                    }
                    None => {
                        return Err(XmlError {
                            kind: XmlErrorKind::UnknownEntity,
                            path: self.path(),
                            message: format!(
                                "`&{};` is not one of the five predefined entities (entities are never expanded)",
                                &*reference
                            ),
                        });
                    }
                },
                Event::Start(start) => {
                    let message = format!("expected text, found the element <{}>", local_name(&start));
                    return Err(XmlError { kind: XmlErrorKind::Value, path: self.path(), message });
                }
                Event::End(_) => return Ok(out),
                _ => {}
            }
        }
    }

    fn offset(&self) -> usize {
        usize::try_from(self.reader.tokens.buffer_position()).unwrap_or(0)
    }

    /// Reads the element as a `T`.
    pub fn read<T: FromXml>(&mut self) -> Result<T, XmlError> {
        T::read_xml(self)
    }

    /// Reads the element's text as a timestamp in `format` (a member's `timestampFormat`), or
    /// failing that in any of the other formats, as botocore does.
    pub fn read_timestamp(
        &mut self,
        format: aws_smithy_types::date_time::Format,
    ) -> Result<aws_smithy_types::DateTime, XmlError> {
        let text = self.text()?;
        super::value::timestamp_from_text(&text, format).map_err(|message| self.invalid(message))
    }

    /// The attribute with this local name (any namespace prefix), decoded and read as a `T`;
    /// `None` when the element has no such attribute.
    pub fn attribute<T: FromXmlText>(&self, name: &str) -> Result<Option<T>, XmlError> {
        // No duplicate checks: they cost quadratic time on a tag with many attributes.
        for attribute in self.start.attributes().with_checks(false) {
            let attribute = attribute.map_err(|e| self.reader.malformed_at(self.offset(), e.to_string()))?;
            let key = attribute.key;
            let is_namespace = key.as_namespace_binding().is_some();
            if is_namespace || key.local_name().into_inner() != name {
                continue;
            }
            let value = unescape(&attribute.value).map_err(|message| XmlError {
                kind: XmlErrorKind::UnknownEntity,
                path: format!("{}@{name}", self.path()),
                message,
            })?;
            return T::from_xml_text(&value).map(Some).map_err(|message| XmlError {
                kind: XmlErrorKind::Value,
                path: format!("{}@{name}", self.path()),
                message,
            });
        }
        Ok(None)
    }

    /// An error saying this element's value does not fit.
    pub fn invalid(&self, message: impl Into<String>) -> XmlError {
        XmlError { kind: XmlErrorKind::Value, path: self.path(), message: message.into() }
    }

    /// Fails unless the element's local name is `name` (the root of a response, say).
    pub fn expect_name(&self, name: &str) -> Result<(), XmlError> {
        if self.local_name() == name {
            return Ok(());
        }
        Err(XmlError {
            kind: XmlErrorKind::UnexpectedRoot,
            path: self.path(),
            message: format!("expected the element <{name}>, found <{}>", self.local_name()),
        })
    }

    /// Numbers this element as item `index` (from 1) of a list or map, for error paths.
    pub(super) fn set_index(&mut self, index: usize) {
        if let Some(open) = self.reader.open.get_mut(self.depth - 1) {
            open.index = Some(index);
        }
    }
}

impl std::fmt::Debug for XmlElement<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlElement").field("path", &self.path()).finish()
    }
}

/// The text of `&name;`: `None` for an entity that is not predefined, `Some(Err)` for a
/// character reference to no character.
fn resolve_reference(name: &str) -> Option<Result<char, ()>> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16),
            None => number.parse(),
        };
        return Some(code.ok().filter(|&c| c != 0).and_then(char::from_u32).ok_or(()));
    }
    match name {
        "lt" => Some(Ok('<')),
        "gt" => Some(Ok('>')),
        "amp" => Some(Ok('&')),
        "apos" => Some(Ok('\'')),
        "quot" => Some(Ok('"')),
        _ => None,
    }
}

/// Decodes the references in an attribute's raw value.
fn unescape(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after.find(';').ok_or_else(|| format!("unterminated reference in {raw:?}"))?;
        match resolve_reference(&after[..end]) {
            Some(Ok(c)) => out.push(c),
            Some(Err(())) => return Err(format!("`&{};` is not a valid character reference", &after[..end])),
            None => {
                return Err(format!(
                    "`&{};` is not one of the five predefined entities (entities are never expanded)",
                    &after[..end]
                ));
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
