//! Converts the HTML documentation of AWS service models into rustdoc Markdown.
//!
//! Botocore models carry HTML in their `documentation` fields, Smithy JSON AST models in the
//! `smithy.api#documentation` trait. The same text differs between the two forms: the Smithy form
//! is pretty-printed (newlines and indentation between and inside elements) and has its entities
//! decoded (`<code><region></code>` where botocore has `<code>&lt;region&gt;</code>`). The
//! conversion gives the same Markdown for both forms.
//!
//! It works in three steps:
//!
//! 1. `tokenize` splits the HTML into text (entities decoded) and tags. Whatever does not parse
//!    as a tag (`0<=x<1.0`, a `<` at the end) is text.
//! 2. `build_tree` nests the tokens the forgiving way browsers do: a block element ends an open
//!    `<p>`, a `<li>` ends the previous `<li>`, a stray end tag is ignored, and everything left
//!    open is closed at the end. Inside `<code>` and `<pre>`, and for unknown names that are
//!    never closed (`<region>`, `<acct-id>`), a tag is shown as text rather than interpreted:
//!    those are placeholders whose entities the Smithy form has decoded.
//! 3. The renderer turns block elements into Markdown blocks separated by blank lines and the
//!    inline content of each paragraph into one line. Whitespace collapses as in HTML, and all
//!    text that rustdoc would read as Markdown or HTML is escaped, so that the result never
//!    triggers a rustdoc lint (broken intra-doc links, invalid HTML tags, bare URLs, doctests).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// Converts one HTML documentation string into rustdoc Markdown.
///
/// The result has one line per paragraph (lines are never wrapped), blank lines between blocks,
/// no trailing whitespace on any line and no trailing newline; it is empty when the HTML has no
/// text. The caller prefixes each line with `///`.
#[must_use]
pub fn html_to_rustdoc(html: &str) -> String {
    let html = sanitize_controls(html);
    let tree = build_tree(tokenize(&html));
    let lines = join_blocks(render_blocks(&tree, Ctx::default()));
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.trim_end_matches([' ', '\t']));
    }
    out
}

/// Line endings become `\n`; other control characters (which a doc comment cannot show, and a
/// bare carriage return it cannot even contain) are dropped.
fn sanitize_controls(html: &str) -> String {
    let html = html.replace("\r\n", "\n").replace('\r', "\n");
    html.chars().filter(|&c| !c.is_control() || matches!(c, '\n' | '\t' | '\x0c')).collect()
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum Token<'a> {
    /// Text with its entities decoded.
    Text(String),
    Start {
        /// Lower-case tag name.
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
        /// The tag as written, shown as text when it is not interpreted.
        raw: &'a str,
    },
    End {
        name: String,
        raw: &'a str,
    },
}

fn tokenize(html: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut text_start = 0;
    let mut pos = 0;
    while let Some(offset) = html[pos..].find('<') {
        let at = pos + offset;
        match parse_markup(&html[at..]) {
            Some((token, len)) => {
                if text_start < at {
                    tokens.push(Token::Text(decode_entities(&html[text_start..at])));
                }
                tokens.extend(token);
                pos = at + len;
                text_start = pos;
            }
            None => pos = at + 1,
        }
    }
    if text_start < html.len() {
        tokens.push(Token::Text(decode_entities(&html[text_start..])));
    }
    tokens
}

/// Parses the markup at the start of `s` (which starts with `<`): a tag, a comment, a CDATA
/// section or a declaration. Returns the token, if any, and the length consumed; `None` when the
/// `<` does not start markup and is text.
fn parse_markup(s: &str) -> Option<(Option<Token<'_>>, usize)> {
    let rest = &s[1..];
    if let Some(body) = rest.strip_prefix("!--") {
        let end = body.find("-->")?;
        return Some((None, 4 + end + 3));
    }
    if let Some(body) = rest.strip_prefix("![CDATA[") {
        let end = body.find("]]>")?;
        return Some((Some(Token::Text(body[..end].to_string())), 9 + end + 3));
    }
    if rest.starts_with(['!', '?']) {
        let end = rest.find('>')?;
        return Some((None, 1 + end + 1));
    }
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_len =
        rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))).unwrap_or(rest.len());
    let name = rest[..name_len].to_ascii_lowercase();
    let bytes = rest.as_bytes();
    let skip_whitespace = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let mut attrs = Vec::new();
    let mut self_closing = false;
    let mut i = name_len;
    loop {
        i = skip_whitespace(i);
        match *bytes.get(i)? {
            b'>' => {
                i += 1;
                break;
            }
            b'<' => return None,
            b'/' if bytes.get(i + 1) == Some(&b'>') => {
                self_closing = true;
                i += 2;
                break;
            }
            b'/' | b'=' => i += 1,
            _ => {
                let len = rest[i..]
                    .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '<' | '/'))
                    .unwrap_or(rest.len() - i);
                let attr = rest[i..i + len].to_ascii_lowercase();
                i = skip_whitespace(i + len);
                let mut value = String::new();
                if bytes.get(i) == Some(&b'=') {
                    i = skip_whitespace(i + 1);
                    match *bytes.get(i)? {
                        quote @ (b'"' | b'\'') => {
                            let len = rest[i + 1..].find(char::from(quote))?;
                            value = decode_entities(&rest[i + 1..i + 1 + len]);
                            i += len + 2;
                        }
                        _ => {
                            let len = rest[i..]
                                .find(|c: char| c.is_ascii_whitespace() || matches!(c, '>' | '<'))
                                .unwrap_or(rest.len() - i);
                            value = decode_entities(&rest[i..i + len]);
                            i += len;
                        }
                    }
                }
                attrs.push((attr, value));
            }
        }
    }
    let len = 1 + usize::from(closing) + i;
    let raw = &s[..len];
    let token = if closing { Token::End { name, raw } } else { Token::Start { name, attrs, self_closing, raw } };
    Some((Some(token), len))
}

/// Decodes character references: the named ones that documentation uses, and numeric ones.
/// Anything else that starts with `&` stays as it is.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match decode_entity(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the character reference at the start of `s` (which starts with `&`).
fn decode_entity(s: &str) -> Option<(char, usize)> {
    // A reference is short: look for its `;` in the first 34 bytes (fewer at a character
    // boundary, as text after a lone `&` may be any UTF-8).
    let mut window = s.len().min(34);
    while !s.is_char_boundary(window) {
        window -= 1;
    }
    let end = s[..window].find(';')?;
    let body = &s[1..end];
    let c = if let Some(number) = body.strip_prefix('#') {
        let (digits, radix) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (number, 10),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        u32::from_str_radix(digits, radix)
            .ok()
            .and_then(char::from_u32)
            .filter(|&c| !c.is_control() || matches!(c, '\n' | '\t'))
            .unwrap_or('\u{FFFD}')
    } else {
        match body {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{A0}',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "hellip" => '\u{2026}',
            "lsquo" => '\u{2018}',
            "rsquo" => '\u{2019}',
            "ldquo" => '\u{201C}',
            "rdquo" => '\u{201D}',
            "laquo" => '\u{AB}',
            "raquo" => '\u{BB}',
            "bull" => '\u{2022}',
            "middot" => '\u{B7}',
            "times" => '\u{D7}',
            "deg" => '\u{B0}',
            "copy" => '\u{A9}',
            "reg" => '\u{AE}',
            "trade" => '\u{2122}',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

// ---------------------------------------------------------------------------------------------
// Tree
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum Node {
    Text(String),
    Element(Element),
}

#[derive(Debug)]
struct Element {
    name: String,
    kind: Kind,
    attrs: Vec<(String, String)>,
    /// A `<code>` or `<pre>` whose end tag follows: block tags and unknown tags inside it are
    /// text.
    raw_content: bool,
    children: Vec<Node>,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// What an element means for the conversion; several tag names share a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Paragraph,
    Heading,
    List {
        ordered: bool,
    },
    Item,
    DefinitionList,
    Term,
    Definition,
    /// `<note>`, `<important>`: a block quote starting with the label in bold.
    Callout(&'static str),
    Quote,
    Preformatted,
    Table,
    Row,
    Cell,
    /// A block without meaning of its own (`<div>`, `<fullname>`, `<tbody>`).
    Division,
    Code,
    Link,
    Strong,
    Emphasis,
    LineBreak,
    /// Inline element without meaning of its own (`<span>`, `<sup>`, unknown tags).
    Span,
    /// Element without content (`<hr>`, `<img>`).
    Void,
}

impl Kind {
    fn of(name: &str) -> Option<Kind> {
        Some(match name {
            "p" => Kind::Paragraph,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::Heading,
            "ul" | "menu" | "dir" => Kind::List { ordered: false },
            "ol" => Kind::List { ordered: true },
            "li" => Kind::Item,
            "dl" => Kind::DefinitionList,
            "dt" => Kind::Term,
            "dd" => Kind::Definition,
            "note" => Kind::Callout("Note"),
            "important" => Kind::Callout("Important"),
            "warning" => Kind::Callout("Warning"),
            "tip" => Kind::Callout("Tip"),
            "blockquote" => Kind::Quote,
            "pre" => Kind::Preformatted,
            "table" => Kind::Table,
            "tr" => Kind::Row,
            "td" | "th" => Kind::Cell,
            "div" | "section" | "article" | "header" | "footer" | "main" | "nav" | "aside" | "figure"
            | "figcaption" | "center" | "address" | "details" | "summary" | "form" | "fieldset" | "caption"
            | "thead" | "tbody" | "tfoot" | "fullname" | "title" | "body" | "html" | "hr" => Kind::Division,
            "code" | "tt" | "kbd" | "samp" => Kind::Code,
            "a" => Kind::Link,
            "b" | "strong" => Kind::Strong,
            "i" | "em" | "var" | "cite" | "dfn" => Kind::Emphasis,
            "br" => Kind::LineBreak,
            "span" | "sup" | "sub" | "u" | "s" | "strike" | "del" | "ins" | "small" | "big" | "font" | "abbr"
            | "acronym" | "q" | "label" | "mark" | "time" | "nobr" | "bdi" | "bdo" | "data" | "colgroup" => Kind::Span,
            "img" | "wbr" | "col" | "meta" | "link" | "input" | "area" | "base" | "source" | "param" | "embed"
            | "track" => Kind::Void,
            _ => return None,
        })
    }

    fn is_block(self) -> bool {
        !matches!(
            self,
            Kind::Code | Kind::Link | Kind::Strong | Kind::Emphasis | Kind::LineBreak | Kind::Span | Kind::Void
        )
    }
}

fn build_tree(tokens: Vec<Token<'_>>) -> Vec<Node> {
    // Names of unknown elements that are closed somewhere are elements; the others (`<region>`)
    // are text. `end_tags_left` tells whether a `<code>` or `<pre>` is closed later on.
    let mut closed = HashSet::new();
    let mut end_tags_left: HashMap<String, usize> = HashMap::new();
    for token in &tokens {
        if let Token::End { name, .. } = token {
            closed.insert(name.clone());
            *end_tags_left.entry(name.clone()).or_default() += 1;
        }
    }
    let mut stack = vec![Element {
        name: String::new(),
        kind: Kind::Division,
        attrs: Vec::new(),
        raw_content: false,
        children: Vec::new(),
    }];
    for token in tokens {
        let raw_parent = stack.iter().rposition(|e| e.raw_content);
        match token {
            Token::Text(text) => push_text(&mut stack, text),
            Token::Start { name, attrs, self_closing, raw } => {
                let kind = match Kind::of(&name) {
                    Some(kind) if raw_parent.is_none() || !kind.is_block() => kind,
                    None if raw_parent.is_none() && closed.contains(&name) => Kind::Span,
                    _ => {
                        push_text(&mut stack, decode_entities(raw));
                        continue;
                    }
                };
                if kind.is_block() {
                    close_implicitly(&mut stack, kind);
                }
                let raw_content = matches!(kind, Kind::Code | Kind::Preformatted)
                    && !self_closing
                    && end_tags_left.get(&name).is_some_and(|&n| n > 0);
                let empty = self_closing || is_void(&name);
                stack.push(Element { name, kind, attrs, raw_content, children: Vec::new() });
                if empty {
                    pop(&mut stack);
                }
            }
            Token::End { name, raw } => {
                if let Some(n) = end_tags_left.get_mut(&name) {
                    *n = n.saturating_sub(1);
                }
                let interpreted = match raw_parent {
                    Some(i) => stack[i].name == name || Kind::of(&name).is_some_and(|k| !k.is_block()),
                    None => true,
                };
                if !interpreted {
                    push_text(&mut stack, decode_entities(raw));
                } else if let Some(i) = stack.iter().rposition(|e| e.name == name)
                    && i > 0
                {
                    while stack.len() > i {
                        pop(&mut stack);
                    }
                }
            }
        }
    }
    while stack.len() > 1 {
        pop(&mut stack);
    }
    stack.pop().map(|root| root.children).unwrap_or_default()
}

/// Elements that never have content.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "br" | "hr"
            | "img"
            | "wbr"
            | "col"
            | "meta"
            | "link"
            | "input"
            | "area"
            | "base"
            | "source"
            | "param"
            | "embed"
            | "track"
    )
}

fn push_text(stack: &mut [Element], text: String) {
    let Some(top) = stack.last_mut() else { return };
    match top.children.last_mut() {
        Some(Node::Text(previous)) => previous.push_str(&text),
        _ => top.children.push(Node::Text(text)),
    }
}

fn pop(stack: &mut Vec<Element>) {
    if let Some(element) = stack.pop()
        && let Some(parent) = stack.last_mut()
    {
        parent.children.push(Node::Element(element));
    }
}

/// Closes what the start of a block element of `kind` ends: an open paragraph (with the inline
/// elements in it), the previous item of a list, term or definition, row or cell.
fn close_implicitly(stack: &mut Vec<Element>, kind: Kind) {
    let innermost_block = |stack: &[Element]| stack.iter().rposition(|e| e.kind.is_block());
    let close_if = |stack: &mut Vec<Element>, closes: &dyn Fn(Kind) -> bool| {
        if let Some(i) = innermost_block(stack)
            && i > 0
            && closes(stack[i].kind)
        {
            while stack.len() > i {
                pop(stack);
            }
        }
    };
    close_if(stack, &|k| k == Kind::Paragraph);
    match kind {
        Kind::Item => close_if(stack, &|k| k == Kind::Item),
        Kind::Term | Kind::Definition => {
            close_if(stack, &|k| matches!(k, Kind::Term | Kind::Definition));
        }
        Kind::Row => {
            close_if(stack, &|k| k == Kind::Cell);
            close_if(stack, &|k| k == Kind::Row);
        }
        Kind::Cell => close_if(stack, &|k| k == Kind::Cell),
        _ => {}
    }
}

fn has_block(nodes: &[Node]) -> bool {
    nodes.iter().any(|node| match node {
        Node::Element(e) => e.kind.is_block() || has_block(&e.children),
        Node::Text(_) => false,
    })
}

/// All text below `nodes`, with line breaks as `\n` when `breaks` and as spaces otherwise.
fn collect_text(nodes: &[Node], breaks: bool, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) if e.kind == Kind::LineBreak => out.push(if breaks { '\n' } else { ' ' }),
            Node::Element(e) => collect_text(&e.children, breaks, out),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Default)]
struct Ctx {
    /// Inside a table cell: everything has to fit on one line.
    single_line: bool,
}

/// Rendered Markdown block: its lines, and whether it is a paragraph (a callout puts its label
/// in front of a first paragraph).
struct Block {
    lines: Vec<String>,
    paragraph: bool,
}

fn join_blocks(blocks: Vec<Block>) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, block) in blocks.into_iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        lines.extend(block.lines);
    }
    lines
}

/// Renders the children of a block: runs of inline content become paragraphs.
fn render_blocks<'a>(nodes: impl IntoIterator<Item = &'a Node>, ctx: Ctx) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut run: Vec<&Node> = Vec::new();
    for node in nodes {
        match node {
            Node::Element(e) if e.kind.is_block() || has_block(&e.children) => {
                blocks.extend(paragraph(inline_items(run.iter().copied(), ctx), ctx));
                run.clear();
                render_block(e, ctx, &mut blocks);
            }
            _ => run.push(node),
        }
    }
    blocks.extend(paragraph(inline_items(run.iter().copied(), ctx), ctx));
    blocks
}

fn render_block(e: &Element, ctx: Ctx, out: &mut Vec<Block>) {
    match e.kind {
        Kind::Heading | Kind::Term if !has_block(&e.children) => {
            let mut items = vec![Item::Open(Emph::Strong)];
            items.extend(inline_items(&e.children, ctx));
            items.push(Item::Close(Emph::Strong));
            out.extend(paragraph(items, ctx));
        }
        Kind::List { ordered } => {
            let start = e.attr("start").and_then(|s| s.trim().parse().ok()).unwrap_or(1);
            out.extend(list(list_items(e, ctx), ordered, start));
        }
        Kind::Item => out.extend(list(vec![render_blocks(&e.children, ctx)], false, 1)),
        Kind::DefinitionList => out.extend(list(definition_items(e, ctx), false, 1)),
        Kind::Callout(label) => {
            let mut blocks = render_blocks(&e.children, ctx);
            if blocks.is_empty() {
                return;
            }
            let label = format!("**{label}:**");
            match blocks.first_mut() {
                Some(Block { lines, paragraph: true }) => lines[0] = format!("{label} {}", lines[0]),
                _ => blocks.insert(0, Block { lines: vec![label], paragraph: true }),
            }
            out.push(quote(blocks));
        }
        Kind::Quote => {
            let blocks = render_blocks(&e.children, ctx);
            if !blocks.is_empty() {
                out.push(quote(blocks));
            }
        }
        Kind::Preformatted => out.extend(preformatted(e, ctx)),
        Kind::Table => out.extend(table(e)),
        _ => out.extend(render_blocks(&e.children, ctx)),
    }
}

fn paragraph(items: Vec<Item>, ctx: Ctx) -> Option<Block> {
    let text = render_inline(normalize(items));
    if text.is_empty() {
        return None;
    }
    let lines = if ctx.single_line { vec![text] } else { text.split('\n').map(str::to_string).collect() };
    Some(Block { lines, paragraph: true })
}

/// The items of a list: each `<li>`, with any content outside an `<li>` added to the item before
/// it.
fn list_items(e: &Element, ctx: Ctx) -> Vec<Vec<Block>> {
    let mut items: Vec<Vec<Block>> = Vec::new();
    let mut loose: Vec<&Node> = Vec::new();
    let flush = |items: &mut Vec<Vec<Block>>, loose: &mut Vec<&Node>| {
        let blocks = render_blocks(loose.drain(..), ctx);
        match items.last_mut() {
            Some(item) => item.extend(blocks),
            None if !blocks.is_empty() => items.push(blocks),
            None => {}
        }
    };
    for child in &e.children {
        match child {
            Node::Element(li) if li.kind == Kind::Item => {
                flush(&mut items, &mut loose);
                items.push(render_blocks(&li.children, ctx));
            }
            _ => loose.push(child),
        }
    }
    flush(&mut items, &mut loose);
    items
}

/// The items of a definition list: each term starts an item, in bold; the definitions after it
/// are the rest of the item.
fn definition_items(e: &Element, ctx: Ctx) -> Vec<Vec<Block>> {
    let mut items: Vec<Vec<Block>> = Vec::new();
    for child in &e.children {
        let mut blocks = Vec::new();
        match child {
            Node::Element(dt) if dt.kind == Kind::Term => {
                render_block(dt, ctx, &mut blocks);
                items.push(blocks);
                continue;
            }
            Node::Element(dd) if dd.kind == Kind::Definition => {
                blocks = render_blocks(&dd.children, ctx);
            }
            _ => blocks = render_blocks([child], ctx),
        }
        match items.last_mut() {
            Some(item) => item.extend(blocks),
            None => items.push(blocks),
        }
    }
    items
}

/// A Markdown list: `- ` or `1. ` before the first line of each item, the other lines indented
/// to the item's content. Items of one line each make a tight list, others a loose one.
fn list(items: Vec<Vec<Block>>, ordered: bool, start: usize) -> Option<Block> {
    let items: Vec<Vec<String>> = items.into_iter().map(join_blocks).filter(|lines| !lines.is_empty()).collect();
    if items.is_empty() {
        return None;
    }
    let loose = items.iter().any(|lines| lines.len() > 1);
    let mut lines = Vec::new();
    for (n, item) in items.into_iter().enumerate() {
        if loose && n > 0 {
            lines.push(String::new());
        }
        let marker = if ordered { format!("{}. ", start + n) } else { "- ".to_string() };
        let indent = " ".repeat(marker.len());
        for (i, line) in item.into_iter().enumerate() {
            lines.push(match i {
                0 => format!("{marker}{line}"),
                _ if line.is_empty() => line,
                _ => format!("{indent}{line}"),
            });
        }
    }
    Some(Block { lines, paragraph: false })
}

fn quote(blocks: Vec<Block>) -> Block {
    let lines = join_blocks(blocks)
        .into_iter()
        .map(|line| if line.is_empty() { ">".to_string() } else { format!("> {line}") })
        .collect();
    Block { lines, paragraph: false }
}

/// `<pre>` becomes a fenced block marked `text`, so that rustdoc does not run it as a doctest.
/// The text keeps its lines; tabs are expanded, common indentation and blank lines around it
/// removed.
fn preformatted(e: &Element, ctx: Ctx) -> Option<Block> {
    let mut text = String::new();
    collect_text(&e.children, true, &mut text);
    let text = text.strip_prefix('\n').unwrap_or(&text);
    let mut lines: Vec<String> = text.split('\n').map(|line| expand_tabs(line).trim_end().to_string()).collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    let first = lines.iter().position(|line| !line.is_empty())?;
    lines.drain(..first);
    if ctx.single_line {
        let mut items = Vec::new();
        push_code(&lines.join(" "), &mut items);
        return paragraph(items, ctx);
    }
    let indent = lines
        .iter()
        .filter(|line| !line.is_empty())
        .map(|line| line.len() - line.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let fence = "`".repeat(3.max(longest_run(&lines.concat(), '`') + 1));
    let mut block = vec![format!("{fence}text")];
    block.extend(lines.into_iter().map(|line| line.get(indent..).unwrap_or("").to_string()));
    block.push(fence);
    Some(Block { lines: block, paragraph: false })
}

fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\t' => {
                let width = 4 - out.chars().count() % 4;
                out.extend(std::iter::repeat_n(' ', width));
            }
            '\x0c' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut longest, mut current) = (0, 0);
    for ch in s.chars() {
        current = if ch == c { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

/// A table becomes a Markdown table whose first row is the header; cells are flattened to one
/// line each. Content outside rows becomes rows of one cell.
fn table(e: &Element) -> Option<Block> {
    let mut rows = Vec::new();
    collect_rows(&e.children, &mut rows);
    rows.retain(|row| !row.is_empty());
    let columns = rows.iter().map(Vec::len).max()?;
    let line = |cells: &[String]| {
        let mut cells = cells.to_vec();
        cells.resize(columns, String::new());
        format!("| {} |", cells.join(" | "))
    };
    let mut lines = vec![line(&rows[0]), line(&vec!["---".to_string(); columns])];
    lines.extend(rows[1..].iter().map(|row| line(row)));
    Some(Block { lines, paragraph: false })
}

fn collect_rows(nodes: &[Node], rows: &mut Vec<Vec<String>>) {
    for node in nodes {
        match node {
            Node::Text(text) if text.trim_ascii().is_empty() => {}
            Node::Element(row) if row.kind == Kind::Row => {
                let mut cells = Vec::new();
                let mut loose: Vec<&Node> = Vec::new();
                for child in &row.children {
                    match child {
                        Node::Element(cell) if cell.kind == Kind::Cell => {
                            if !loose.is_empty() {
                                cells.push(cell_text(loose.drain(..)));
                            }
                            cells.push(cell_text(&cell.children));
                        }
                        _ => loose.push(child),
                    }
                }
                if !loose.is_empty() {
                    cells.push(cell_text(loose));
                }
                rows.push(cells);
            }
            Node::Element(cell) if cell.kind == Kind::Cell => rows.push(vec![cell_text(&cell.children)]),
            Node::Element(e) if e.kind != Kind::Table => collect_rows(&e.children, rows),
            _ => rows.push(vec![cell_text([node])]),
        }
    }
}

/// The content of a table cell on one line, with every `|` that would end the cell escaped
/// (inside code spans too, as tables require).
fn cell_text<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> String {
    let blocks = render_blocks(nodes, Ctx { single_line: true });
    let lines: Vec<String> = join_blocks(blocks).into_iter().filter(|l| !l.is_empty()).collect();
    let text = lines.join(" ");
    let mut out = String::with_capacity(text.len());
    let mut backslashes = 0;
    for c in text.chars() {
        if c == '|' && backslashes % 2 == 0 {
            out.push('\\');
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Inline content
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Emph {
    Strong,
    Em,
}

impl Emph {
    fn delimiter(self) -> &'static str {
        match self {
            Emph::Strong => "**",
            Emph::Em => "*",
        }
    }
}

/// Inline content, flattened, before whitespace is collapsed.
#[derive(Clone, Debug, PartialEq)]
enum Item {
    Word(String),
    Space,
    Break,
    /// Code span content, whitespace already collapsed and trimmed.
    Code(String),
    Open(Emph),
    Close(Emph),
    LinkOpen(String),
    LinkClose,
    AutoLink(String),
}

fn inline_items<'a>(nodes: impl IntoIterator<Item = &'a Node>, ctx: Ctx) -> Vec<Item> {
    let mut items = Vec::new();
    for node in nodes {
        flatten(node, ctx, false, &mut items);
    }
    items
}

fn flatten(node: &Node, ctx: Ctx, in_link: bool, items: &mut Vec<Item>) {
    let e = match node {
        Node::Text(text) => return push_words(text, items),
        Node::Element(e) => e,
    };
    let children = |items: &mut Vec<Item>, in_link| {
        for child in &e.children {
            flatten(child, ctx, in_link, items);
        }
    };
    match e.kind {
        Kind::Strong | Kind::Emphasis | Kind::Heading | Kind::Term => {
            let emph = if e.kind == Kind::Emphasis { Emph::Em } else { Emph::Strong };
            items.push(Item::Open(emph));
            children(items, in_link);
            items.push(Item::Close(emph));
        }
        Kind::Code => {
            let mut buffer = String::new();
            flatten_code(&e.children, in_link, &mut buffer, items);
            push_code(&buffer, items);
        }
        Kind::Link => {
            let mut text = String::new();
            collect_text(&e.children, false, &mut text);
            let href = e.attr("href").unwrap_or("").trim();
            match link_target(e).filter(|_| !in_link) {
                Some(url) => {
                    items.push(Item::LinkOpen(url));
                    children(items, true);
                    items.push(Item::LinkClose);
                }
                None if text.trim_ascii().is_empty() => push_code(href, items),
                None => children(items, in_link),
            }
        }
        Kind::LineBreak => items.push(if ctx.single_line { Item::Space } else { Item::Break }),
        Kind::Preformatted => {
            let mut text = String::new();
            collect_text(&e.children, false, &mut text);
            push_code(&text, items);
        }
        Kind::Void => {}
        kind if kind.is_block() => {
            items.push(Item::Space);
            children(items, in_link);
            items.push(Item::Space);
        }
        _ => children(items, in_link),
    }
}

/// The content of `<code>` is one code span, except that a link inside it becomes a link around
/// a code span (Markdown code spans cannot contain links). Other markup inside it is dropped.
fn flatten_code(nodes: &[Node], in_link: bool, buffer: &mut String, items: &mut Vec<Item>) {
    for node in nodes {
        match node {
            Node::Text(text) => buffer.push_str(text),
            Node::Element(e) if e.kind == Kind::LineBreak => buffer.push(' '),
            Node::Element(e) if e.kind == Kind::Link && !in_link && link_target(e).is_some() => {
                push_code(&std::mem::take(buffer), items);
                let mut text = String::new();
                collect_text(&e.children, false, &mut text);
                items.push(Item::LinkOpen(link_target(e).unwrap_or_default()));
                push_code(&text, items);
                items.push(Item::LinkClose);
            }
            Node::Element(e) => flatten_code(&e.children, in_link, buffer, items),
        }
    }
}

/// Splits text into words and (collapsible) spaces.
fn push_words(text: &str, items: &mut Vec<Item>) {
    if text.starts_with(|c: char| c.is_ascii_whitespace()) {
        items.push(Item::Space);
    }
    let mut words = text.split_ascii_whitespace().peekable();
    while let Some(word) = words.next() {
        items.push(Item::Word(word.to_string()));
        if words.peek().is_some() {
            items.push(Item::Space);
        }
    }
    if text.ends_with(|c: char| c.is_ascii_whitespace()) && !text.trim_ascii().is_empty() {
        items.push(Item::Space);
    }
}

/// A code span with its whitespace collapsed; whitespace at its edges goes outside it.
fn push_code(raw: &str, items: &mut Vec<Item>) {
    let content = raw.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
    if raw.starts_with(|c: char| c.is_ascii_whitespace()) {
        items.push(Item::Space);
    }
    if !content.is_empty() {
        items.push(Item::Code(content));
        if raw.ends_with(|c: char| c.is_ascii_whitespace()) {
            items.push(Item::Space);
        }
    }
}

/// The address of a link that can be linked from rustdoc: absolute (`http`, `https`, `ftp`,
/// `mailto`) or protocol-relative. Relative addresses (no base is known) and fragments (no such
/// anchor in rustdoc) are not links.
fn link_target(e: &Element) -> Option<String> {
    let href = e.attr("href")?.trim();
    let href = match href.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => href.to_string(),
    };
    let lower = href.to_ascii_lowercase();
    ["http://", "https://", "ftp://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
        .then_some(href)
}

/// Collapses whitespace as HTML does: whitespace at the edges of emphasis and links moves
/// outside them, empty emphasis vanishes, an empty link shows its address, runs of whitespace
/// become one space, and whitespace at the start and end of a line disappears.
fn normalize(mut items: Vec<Item>) -> Vec<Item> {
    loop {
        let mut changed = false;
        for i in 1..items.len() {
            let outward = matches!(
                (&items[i - 1], &items[i]),
                (Item::Open(_) | Item::LinkOpen(_), Item::Space | Item::Break)
                    | (Item::Space | Item::Break, Item::Close(_) | Item::LinkClose)
            );
            if outward {
                items.swap(i - 1, i);
                changed = true;
            }
        }
        let mut i = 1;
        while i < items.len() {
            match (&items[i - 1], &items[i]) {
                (Item::Open(a), Item::Close(b)) if a == b => {
                    items.drain(i - 1..=i);
                    changed = true;
                    i = i.saturating_sub(1).max(1);
                }
                (Item::LinkOpen(url), Item::LinkClose) => {
                    let url = url.clone();
                    items.splice(i - 1..=i, [Item::AutoLink(url)]);
                    changed = true;
                }
                _ => i += 1,
            }
        }
        if !changed {
            break;
        }
    }
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Item::Space if matches!(out.last(), None | Some(Item::Space | Item::Break)) => {}
            Item::Break => {
                while matches!(out.last(), Some(Item::Space)) {
                    out.pop();
                }
                if !matches!(out.last(), None | Some(Item::Break)) {
                    out.push(Item::Break);
                }
            }
            item => out.push(item),
        }
    }
    while matches!(out.last(), Some(Item::Space | Item::Break)) {
        out.pop();
    }
    out
}

enum Piece {
    Text(String),
    Delimiter(&'static str),
}

/// Writes normalized inline items as Markdown.
fn render_inline(items: Vec<Item>) -> String {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut run = String::new();
    let mut line_start = true;
    let mut in_link = false;
    // For each open emphasis, the index of its delimiter, or `None` when it is inside emphasis
    // of the same kind (`<b><b>x</b></b>`) and so not written.
    let mut emphasis: Vec<Option<usize>> = Vec::new();
    let mut active = HashSet::new();
    let mut pairs = Vec::new();
    let mut links: Vec<Option<String>> = Vec::new();

    let flush = |run: &mut String, pieces: &mut Vec<Piece>, line_start: &mut bool, in_link| {
        if !run.is_empty() {
            pieces.push(Piece::Text(escape_text(run, *line_start, in_link)));
            *line_start = false;
            run.clear();
        }
    };
    for item in items {
        if !matches!(item, Item::Word(_) | Item::Space) {
            flush(&mut run, &mut pieces, &mut line_start, in_link);
        }
        match item {
            Item::Word(word) => run.push_str(&word),
            Item::Space => run.push(' '),
            Item::Break => {
                pieces.push(Piece::Text("\\\n".to_string()));
                line_start = true;
            }
            Item::Code(code) => {
                pieces.push(Piece::Text(code_span(&code)));
                line_start = false;
            }
            Item::AutoLink(url) if in_link => run.push_str(&url),
            Item::AutoLink(url) => {
                pieces.push(Piece::Text(format!("<{}>", encode_url(&url))));
                line_start = false;
            }
            Item::LinkOpen(url) if !in_link => {
                pieces.push(Piece::Text("[".to_string()));
                in_link = true;
                line_start = false;
                links.push(Some(url));
            }
            Item::LinkOpen(_) => links.push(None),
            Item::LinkClose => {
                if let Some(Some(url)) = links.pop() {
                    pieces.push(Piece::Text(format!("]({})", encode_url(&url))));
                    in_link = false;
                }
            }
            Item::Open(emph) => {
                if active.insert(emph) {
                    emphasis.push(Some(pieces.len()));
                    pieces.push(Piece::Delimiter(emph.delimiter()));
                } else {
                    emphasis.push(None);
                }
            }
            Item::Close(emph) => {
                if let Some(Some(open)) = emphasis.pop() {
                    active.remove(&emph);
                    pairs.push((open, pieces.len()));
                    pieces.push(Piece::Delimiter(emph.delimiter()));
                }
            }
        }
    }
    flush(&mut run, &mut pieces, &mut line_start, in_link);

    // Markdown only takes `*` as emphasis where it is "flanking"; where it would not be, the
    // emphasis is dropped rather than showing stray asterisks.
    for (open, close) in pairs {
        let opens = {
            let (before, after) = neighbours(&pieces, open);
            !is_space(after) && (!is_punctuation(after) || is_space(before) || is_punctuation(before))
        };
        let closes = {
            let (before, after) = neighbours(&pieces, close);
            !is_space(before) && (!is_punctuation(before) || is_space(after) || is_punctuation(after))
        };
        if !(opens && closes) {
            pieces[open] = Piece::Text(String::new());
            pieces[close] = Piece::Text(String::new());
        }
    }
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(&text),
            Piece::Delimiter(delimiter) => out.push_str(delimiter),
        }
    }
    out
}

/// The characters before and after the delimiter at `index`, skipping adjacent delimiters (they
/// form one delimiter run); `None` at the start or end of the paragraph.
fn neighbours(pieces: &[Piece], index: usize) -> (Option<char>, Option<char>) {
    let text = |piece: &Piece| match piece {
        Piece::Text(text) => Some(text.clone()),
        Piece::Delimiter(_) => None,
    };
    let before = pieces[..index].iter().rev().filter_map(text).find_map(|t| t.chars().last());
    let after = pieces[index + 1..].iter().filter_map(text).find_map(|t| t.chars().next());
    (before, after)
}

fn is_space(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

fn is_punctuation(c: Option<char>) -> bool {
    c.is_some_and(|c| !c.is_alphanumeric() && !c.is_whitespace())
}

/// A code span whose backtick fence is longer than any run of backticks inside it, padded with
/// spaces when the content starts or ends with a backtick.
fn code_span(code: &str) -> String {
    let fence = "`".repeat(longest_run(code, '`') + 1);
    if code.starts_with('`') || code.ends_with('`') {
        format!("{fence} {code} {fence}")
    } else {
        format!("{fence}{code}{fence}")
    }
}

/// Percent-encodes what cannot stand in a Markdown link destination or autolink.
fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_whitespace() || c.is_control() || matches!(c, '(' | ')' | '<' | '>' | '\\' | '|' | '`' | '"') {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes text so that Markdown shows it as it is: characters with inline meaning anywhere
/// (`\` `` ` `` `*` `[` `]` `<` `|` `~`, `_` at word edges, `&` before what looks like an
/// entity), characters that start a block at the start of a line (`#` `>` `-` `+` `=` `:`, `1.`),
/// and bare URLs, which become autolinks (outside link text).
fn escape_text(text: &str, line_start: bool, in_link: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    if line_start {
        let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && matches!(chars.get(digits), Some('.' | ')')) {
            out.extend(&chars[..digits]);
            out.push('\\');
            out.push(chars[digits]);
            i = digits + 1;
        } else if matches!(chars.first(), Some('#' | '>' | '-' | '+' | '=' | ':')) {
            out.push('\\');
        }
    }
    while i < chars.len() {
        let c = chars[i];
        if !in_link && let Some(end) = url_end(&chars, i) {
            out.push('<');
            out.extend(&chars[i..end]);
            out.push('>');
            i = end;
            continue;
        }
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '|' | '~' => out.push('\\'),
            '_' => {
                let inside_word =
                    i > 0 && chars[i - 1].is_alphanumeric() && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
                if !inside_word {
                    out.push('\\');
                }
            }
            '&' if looks_like_entity(&chars[i + 1..]) => out.push('\\'),
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

fn looks_like_entity(rest: &[char]) -> bool {
    let rest = rest.strip_prefix(&['#']).unwrap_or(rest);
    let len = rest.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    len > 0 && rest.get(len) == Some(&';')
}

/// The end of an `http://` or `https://` URL starting at `start`, if one does: up to whitespace
/// or a character that cannot be in an autolink, without trailing punctuation.
fn url_end(chars: &[char], start: usize) -> Option<usize> {
    let rest = &chars[start..];
    // Asked at every character of every text: most are rejected by their first character, and
    // the schemes are matched in place.
    if rest.first() != Some(&'h') {
        return None;
    }
    let scheme = ["https://", "http://"]
        .iter()
        .find(|scheme| rest.len() >= scheme.len() && scheme.bytes().zip(rest).all(|(a, &b)| char::from(a) == b))?
        .len();
    let mut end = start
        + rest
            .iter()
            .position(|&c| c.is_whitespace() || c.is_control() || "<>\"'`[]|\\".contains(c))
            .unwrap_or(rest.len());
    loop {
        let url = &chars[start..end];
        let last = *url.last()?;
        let unbalanced =
            last == ')' && url.iter().filter(|&&c| c == ')').count() > url.iter().filter(|&&c| c == '(').count();
        if ".,;:!?*_~".contains(last) || unbalanced {
            end -= 1;
        } else {
            break;
        }
    }
    chars[start + scheme..end].iter().any(|c| c.is_alphanumeric()).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::html_to_rustdoc;

    #[track_caller]
    fn converts(html: &str, markdown: &str) {
        assert_eq!(html_to_rustdoc(html), markdown, "\nfor {html:?}");
    }

    #[test]
    fn a_lone_ampersand_before_multibyte_text_is_text() {
        // As in a rest-json model's documentation: an `&` that starts no reference, with a
        // `→` across its 34th byte.
        let html = format!("<p>a &{} → b</p>", "x".repeat(30));
        assert!(html_to_rustdoc(&html).ends_with("x → b"), "{}", html_to_rustdoc(&html));
    }

    #[test]
    fn paragraphs_are_separated_by_blank_lines() {
        converts("<p>First.</p><p>Second.</p>", "First.\n\nSecond.");
        converts("<p>First.</p> <p>  </p> <p>Second.</p>", "First.\n\nSecond.");
        converts("Plain text without tags.", "Plain text without tags.");
        converts("Loose text<p>then a paragraph</p>and more", "Loose text\n\nthen a paragraph\n\nand more");
        converts("", "");
        converts("  <p> </p> ", "");
    }

    #[test]
    fn whitespace_collapses_as_in_html() {
        converts("<p>  One\n   two\t\tthree  </p>", "One two three");
        converts("<p>A <b> bold </b> word</p>", "A **bold** word");
        converts("<p>A<b> bold </b>word</p>", "A **bold** word");
        converts(
            "<p>see <a href=\"https://a.example/x\">\n  the guide\n</a> now</p>",
            "see [the guide](https://a.example/x) now",
        );
        // As in HTML, whitespace inside an element is not nothing: here the link is followed
        // by a space before the full stop.
        converts(
            "<p>see <a href=\"https://a.example/x\">the guide </a>.</p>",
            "see [the guide](https://a.example/x) .",
        );
    }

    #[test]
    fn pretty_printed_smithy_text_gives_the_same_output_as_botocore_text() {
        let botocore = "<p>Creates a model package.</p> <ul> <li> <p>Use <code>ModelPackageName</code> \
                        for a <i>versioned</i> one.</p> </li> <li> <p>See <code> <a href=\"https://docs.aws.amazon.com/x.html\">\
                        Describe</a> </code> API.</p> </li> </ul> <note> <p>It takes time.</p> </note>";
        let smithy = "<p>Creates a model\n         package.</p>\n         <ul>\n            <li>\n               <p>Use\n                  \
                      <code>ModelPackageName</code>\n               for a <i>versioned</i>\n one.</p>\n            </li>\n            \
                      <li>\n               <p>See <code>\n                     <a href=\"https://docs.aws.amazon.com/x.html\">Describe</a>\n\
                      \x20                 </code> API.</p>\n            </li>\n         </ul>\n         <note>\n            <p>It takes time.</p>\n         </note>";
        let expected = "Creates a model package.\n\n\
                        - Use `ModelPackageName` for a *versioned* one.\n\
                        - See [`Describe`](https://docs.aws.amazon.com/x.html) API.\n\n\
                        > **Note:** It takes time.";
        converts(botocore, expected);
        converts(smithy, expected);
    }

    #[test]
    fn decoded_placeholders_in_smithy_text_give_the_same_output_as_entities() {
        let botocore = "<p> <code>&lt;acct-id&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com/&lt;repo-name[:tag] or [@digest]&gt;</code> </p>";
        let smithy =
            "<p>\n  <code><acct-id>.dkr.ecr.<region>.amazonaws.com/<repo-name[:tag] or [@digest]></code>\n</p>";
        let expected = "`<acct-id>.dkr.ecr.<region>.amazonaws.com/<repo-name[:tag] or [@digest]>`";
        converts(botocore, expected);
        converts(smithy, expected);
        let botocore = "<code>{\"short\":\"&lt;h1&gt;Add header&lt;/h1&gt;&lt;p&gt;Add&lt;/p&gt;\"}</code>";
        let smithy = "<code>{\"short\":\"<h1>Add header</h1><p>Add</p>\"}</code>";
        converts(botocore, "`{\"short\":\"<h1>Add header</h1><p>Add</p>\"}`");
        converts(smithy, "`{\"short\":\"<h1>Add header</h1><p>Add</p>\"}`");
        converts("<p>Use Tags.<key> to filter.</p>", "Use Tags.\\<key> to filter.");
        converts("<p>0&lt;=x&lt;1.0</p>", "0\\<=x\\<1.0");
        converts("<p>0<=x<1.0</p>", "0\\<=x\\<1.0");
    }

    #[test]
    fn code_becomes_a_code_span_with_a_long_enough_fence() {
        converts("<p>Set <code>Mode</code> to <code>Auto</code>.</p>", "Set `Mode` to `Auto`.");
        converts("<p><code>a`b</code></p>", "``a`b``");
        converts("<p><code>`quoted`</code></p>", "`` `quoted` ``");
        converts("<p><code>``</code></p>", "``` `` ```");
        converts("<p>x<code>  spaced \n out  </code>!</p>", "x `spaced out` !");
        converts("<p>x<code>  </code>y</p>", "x y");
        converts("<p><code>*not* [a] &lt;tag&gt; _x_</code></p>", "`*not* [a] <tag> _x_`");
    }

    #[test]
    fn markup_inside_code_is_flattened_and_links_move_outside() {
        converts("<p><code>arn:aws:sagemaker:<i>region</i>:123:x</code></p>", "`arn:aws:sagemaker:region:123:x`");
        converts(
            "<p>Use <code> <a href=\"https://a.example/Api\">Api</a> </code> now.</p>",
            "Use [`Api`](https://a.example/Api) now.",
        );
        converts("<p><a href=\"https://a.example/\"><code>Api</code></a></p>", "[`Api`](https://a.example/)");
    }

    #[test]
    fn links_become_markdown_links() {
        converts(
            "<p><a href=\"https://a.example/p?q=1&amp;r=2\">Guide</a></p>",
            "[Guide](https://a.example/p?q=1&r=2)",
        );
        converts("<p><a href=\" https://a.example/x \">Padded</a></p>", "[Padded](https://a.example/x)");
        converts("<p><a href=\"https://a.example/a b(c)\">Odd</a></p>", "[Odd](https://a.example/a%20b%28c%29)");
        converts("<p><a href=\"//a.example/x\">Relative scheme</a></p>", "[Relative scheme](https://a.example/x)");
        converts("<p><a href='https://a.example/'>Single quotes</a></p>", "[Single quotes](https://a.example/)");
    }

    #[test]
    fn a_link_without_text_shows_its_address() {
        converts("<p>See <a href=\"https://a.example/x\"></a>.</p>", "See <https://a.example/x>.");
        converts("<p>See <a href=\"https://a.example/x\"> </a>.</p>", "See <https://a.example/x>.");
    }

    #[test]
    fn links_that_rustdoc_cannot_follow_keep_their_text_only() {
        converts("<p>see <a href=\"\">Adding groups</a>.</p>", "see Adding groups.");
        converts("<p>see <a href=\"API_CreateModel.html\">CreateModel</a>.</p>", "see CreateModel.");
        converts("<p>see <a href=\"#anchor\">above</a>.</p>", "see above.");
        converts("<p>see <a href=\"CreateModel\"></a>.</p>", "see `CreateModel`.");
        converts("<p><a name=\"x\">Anchor</a> text</p>", "Anchor text");
    }

    #[test]
    fn a_link_inside_a_link_keeps_its_text_only() {
        converts(
            "<a href=\"https://a.example/1\">one <a href=\"https://a.example/2\">two</a></a>",
            "[one two](https://a.example/1)",
        );
    }

    #[test]
    fn lists_become_markdown_lists() {
        converts("<ul><li>One</li><li>Two</li></ul>", "- One\n- Two");
        converts("<ol><li><p>One</p></li><li><p>Two</p></li></ol>", "1. One\n2. Two");
        converts("<ol start=\"3\"><li>Three</li></ol>", "3. Three");
        converts("<p>Intro:</p><ul><li>One</li></ul><p>After.</p>", "Intro:\n\n- One\n\nAfter.");
        converts("<ul><li></li><li> </li><li>Only</li></ul>", "- Only");
        converts("<ul> </ul>", "");
    }

    #[test]
    fn nested_lists_are_indented_to_the_item_content() {
        converts(
            "<ul><li><p>Frameworks:</p><ul><li><p>TensorFlow</p></li><li><p>MXNet</p></li></ul></li><li><p>Other</p></li></ul>",
            "- Frameworks:\n\n  - TensorFlow\n  - MXNet\n\n- Other",
        );
        converts(
            "<ol><li>Step<ol><li>Sub<ul><li>Deep</li></ul></li></ol></li></ol>",
            "1. Step\n\n   1. Sub\n\n      - Deep",
        );
    }

    #[test]
    fn list_items_with_several_paragraphs_make_a_loose_list() {
        converts(
            "<ul><li><p>First.</p><p>More.</p></li><li><p>Second.</p></li></ul>",
            "- First.\n\n  More.\n\n- Second.",
        );
    }

    #[test]
    fn content_outside_list_items_joins_the_item_before_it() {
        converts("<ul>Lead<li>One</li>tail</ul>", "- Lead\n\n- One\n\n  tail");
        converts("<li>Stray item</li>", "- Stray item");
    }

    #[test]
    fn unclosed_items_and_paragraphs_close_where_html_closes_them() {
        converts("<ul><li>One<li>Two</ul>", "- One\n- Two");
        converts("<p>One<p>Two", "One\n\nTwo");
        converts("<p>Intro<ul><li>Item</li></ul>", "Intro\n\n- Item");
        converts("<dl><dt>T1<dd>D1<dt>T2<dd>D2</dl>", "- **T1**\n\n  D1\n\n- **T2**\n\n  D2");
    }

    #[test]
    fn definition_lists_become_lists_of_bold_terms() {
        converts(
            "<dl> <dt>Metrics</dt> <dd> <p>A metric filter.</p> </dd> <dt>Tags</dt> <dd><p>A tag filter.</p></dd> </dl>",
            "- **Metrics**\n\n  A metric filter.\n\n- **Tags**\n\n  A tag filter.",
        );
        converts("<dl><dd>Definition without term</dd></dl>", "- Definition without term");
    }

    #[test]
    fn notes_and_important_become_labelled_block_quotes() {
        converts("<note><p>Be careful.</p></note>", "> **Note:** Be careful.");
        converts("<important><p>Really.</p><p>Twice.</p></important>", "> **Important:** Really.\n>\n> Twice.");
        converts("<note><ul><li>A</li></ul></note>", "> **Note:**\n>\n> - A");
        converts("<note> </note>", "");
        converts("<p>Before.</p><note>Bare text.</note><p>After.</p>", "Before.\n\n> **Note:** Bare text.\n\nAfter.");
    }

    #[test]
    fn bold_and_italic_become_emphasis() {
        converts(
            "<p><b>Bold</b>, <strong>strong</strong>, <i>italic</i>, <em>em</em>.</p>",
            "**Bold**, **strong**, *italic*, *em*.",
        );
        converts("<p><b>Both <i>kinds</i></b></p>", "**Both *kinds***");
        converts("<p><b>Twice <b>bold</b></b></p>", "**Twice bold**");
        converts("<p><i></i><b> </b>empty</p>", "empty");
    }

    #[test]
    fn emphasis_that_markdown_would_not_recognise_is_dropped() {
        converts("<p>x<b>\"quoted\"</b>y</p>", "x\"quoted\"y");
        converts("<p>(<i>optional</i>)</p>", "(*optional*)");
    }

    #[test]
    fn headings_become_bold_paragraphs() {
        converts("<h1>Title</h1><p>Body</p>", "**Title**\n\nBody");
        converts("<h3>  </h3>", "");
    }

    #[test]
    fn line_breaks_become_hard_breaks() {
        converts("<p>One<br>two<br/>three</p>", "One\\\ntwo\\\nthree");
        converts("<p>One <br> <br> two<br></p>", "One\\\ntwo");
        converts("<p>Line<br>- not a list</p>", "Line\\\n\\- not a list");
    }

    #[test]
    fn preformatted_text_becomes_a_text_code_block() {
        converts("<p>Example:</p><pre>\n{\n    \"a\": 1\n}\n</pre>", "Example:\n\n```text\n{\n    \"a\": 1\n}\n```");
        converts("<pre>  indented\n    more\n</pre>", "```text\nindented\n  more\n```");
        converts("<pre><code>x &lt; y</code></pre>", "```text\nx < y\n```");
        converts("<pre>```\nfenced\n```</pre>", "````text\n```\nfenced\n```\n````");
        converts("<pre>a\tb</pre>", "```text\na   b\n```");
        converts("<pre>\n\n</pre>", "");
        converts("<ul><li><pre>one\n\ntwo</pre></li></ul>", "- ```text\n  one\n\n  two\n  ```");
    }

    #[test]
    fn tables_become_markdown_tables() {
        converts(
            "<table><tr><th>Name</th><th>Value</th></tr><tr><td><code>a|b</code></td><td>x | y</td></tr></table>",
            "| Name | Value |\n| --- | --- |\n| `a\\|b` | x \\| y |",
        );
        converts(
            "<table><tr><td>Only</td></tr><tr><td>a</td><td>b</td></tr></table>",
            "| Only |  |\n| --- | --- |\n| a | b |",
        );
    }

    #[test]
    fn entities_are_decoded() {
        converts(
            "<p>&lt;a&gt; &amp; &quot;b&quot; &#39;c&#39; &#x41;&#66; x&nbsp;y</p>",
            "\\<a> & \"b\" 'c' AB x\u{a0}y",
        );
        converts("<p>&unknown; &amp &#xZZ; &#;</p>", "\\&unknown; &amp \\&#xZZ; &#;");
        converts("<p>&amp;lt;</p>", "\\&lt;");
        converts("<p>&#0; &#x110000;</p>", "\u{FFFD} \u{FFFD}");
    }

    #[test]
    fn brackets_and_angle_brackets_in_text_are_escaped() {
        converts("<p>Use [value] or array[0].</p>", "Use \\[value\\] or array\\[0\\].");
        converts("<p>Map&lt;String&gt; and &lt;b&gt;</p>", "Map\\<String> and \\<b>");
        converts("<p>a -&gt; b</p>", "a -> b");
        converts("<p>[^1]: footnote</p>", "\\[^1\\]: footnote");
    }

    #[test]
    fn bare_urls_become_autolinks() {
        converts("<p>See https://a.example/x.</p>", "See <https://a.example/x>.");
        converts("<p>(http://a.example/a_(b))</p>", "(<http://a.example/a_(b)>)");
        converts("<p>\"https://a.example/q?a=1&amp;b=2\"</p>", "\"<https://a.example/q?a=1&b=2>\"");
        converts("<p>https:// alone</p>", "https:// alone");
        converts(
            "<p><a href=\"https://a.example/\">https://a.example/</a></p>",
            "[https://a.example/](https://a.example/)",
        );
        converts("<p><code>https://a.example/</code></p>", "`https://a.example/`");
    }

    #[test]
    fn markdown_characters_in_text_are_escaped() {
        converts(
            "<p>a*b*c 2*3 ~x~ a|b back\\slash `tick`</p>",
            "a\\*b\\*c 2\\*3 \\~x\\~ a\\|b back\\\\slash \\`tick\\`",
        );
        converts(
            "<p>snake_case_name _leading trailing_ __dunder__</p>",
            "snake_case_name \\_leading trailing\\_ \\_\\_dunder\\_\\_",
        );
        converts("<p>R&amp;D &amp;copy;</p>", "R&D \\&copy;");
        converts("<p>Issue #5 and C# stay</p>", "Issue #5 and C# stay");
    }

    #[test]
    fn text_that_would_start_a_markdown_block_is_escaped() {
        converts("<p># not a heading</p>", "\\# not a heading");
        converts("<p>&gt; not a quote</p>", "\\> not a quote");
        converts("<p>- not a list</p><p>+ nor this</p>", "\\- not a list\n\n\\+ nor this");
        converts("<p>1. not a list</p><p>2) nor this</p>", "1\\. not a list\n\n2\\) nor this");
        converts("<p>---</p><p>===</p><p>***</p>", "\\---\n\n\\===\n\n\\*\\*\\*");
        converts("<p>    four spaces</p>", "four spaces");
        converts("<p>\tTabbed\ttext</p>", "Tabbed text");
        converts("<ul><li># heading?</li></ul>", "- \\# heading?");
        converts("<note><p>- dash</p></note>", "> **Note:** \\- dash");
    }

    #[test]
    fn unknown_elements_are_dropped_and_their_text_kept() {
        converts("<fullname>Amazon SageMaker</fullname><p>Text</p>", "Amazon SageMaker\n\nText");
        converts("<p>x<sup>2</sup> and <span class=\"y\">span</span> <custom>tag</custom></p>", "x2 and span tag");
        converts("<p>a<!-- comment -->b<![CDATA[<c>]]></p>", "ab\\<c>");
        converts("<p>line<hr>rule <img src=\"x.png\" alt=\"x\"> image</p>", "line\n\nrule image");
    }

    #[test]
    fn malformed_html_never_panics_and_loses_no_text() {
        converts("</p>Stray end tags</li></ul>", "Stray end tags");
        converts("<p>Unclosed <b>bold <i>italic", "Unclosed **bold *italic***");
        converts("<p>a < b and c<</p>", "a \\< b and c\\<");
        converts("<p>Tag at the end <a href=\"x", "Tag at the end \\<a href=\"x");
        converts("<p>Broken <a href=\"x>text</a></p>", "Broken \\<a href=\"x>text");
        converts("<!-- unterminated", "\\<!-- unterminated");
        converts("<p><b>bold<p>next</b> para</p>", "**bold**\n\nnext para");
        converts("<code>never closed", "`never closed`");
        converts("<p>&#99999999999;</p>", "\u{FFFD}");
        converts("<p>\u{0}nul and \r\ncarriage\rreturn</p>", "nul and carriage return");
        converts("<<>><</>", "\\<\\<>>\\<\\</>");
        converts("<a href=\"https://a.example/\">x<ul><li>y</li></ul></a>", "x\n\n- y");
    }

    #[test]
    fn output_has_no_trailing_whitespace_or_newline() {
        let out = html_to_rustdoc("<p>a </p>\n\n<ul><li><p>b</p><p>c </p></li></ul>\n");
        assert_eq!(out, "a\n\n- b\n\n  c");
        for line in out.lines() {
            assert_eq!(line, line.trim_end());
        }
    }
}
