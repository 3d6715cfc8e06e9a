//! What the property tests that mutate real documents (models, rule sets) share: walking into a
//! JSON document to a node chosen by random selectors and back to it mutably, and splicing text. Included as a
//! module by `codegen/runtime/tests/properties.rs` and `codegen/tests/model_properties.rs`.

use proptest::sample::Index;
use serde_json::Value;

/// One step of a walk: into an object's member or an array's item.
#[derive(Clone, Debug)]
pub enum Step {
    Key(String),
    At(usize),
}

/// The steps of the walk `selectors` from `root` (one child per selector), stopping at a leaf.
pub fn locate(root: &Value, selectors: &[Index]) -> Vec<Step> {
    let mut node = root;
    let mut steps = Vec::new();
    for selector in selectors {
        match node {
            Value::Object(fields) if !fields.is_empty() => {
                let (key, child) = fields.iter().nth(selector.index(fields.len())).expect("in range");
                steps.push(Step::Key(key.clone()));
                node = child;
            }
            Value::Array(items) if !items.is_empty() => {
                let at = selector.index(items.len());
                steps.push(Step::At(at));
                node = &items[at];
            }
            _ => break,
        }
    }
    steps
}

/// The child one step of a walk leads to.
pub fn child_mut<'v>(node: &'v mut Value, step: &Step) -> &'v mut Value {
    match (node, step) {
        (Value::Object(fields), Step::Key(key)) => fields.get_mut(key).expect("the walk found it"),
        (Value::Array(items), Step::At(at)) => &mut items[*at],
        _ => unreachable!("the walk follows the document"),
    }
}

/// `text` with about `len` bytes at `at` replaced by `with` (on character boundaries).
pub fn splice(text: &str, at: Index, len: usize, with: &str) -> String {
    let mut start = at.index(text.len() + 1);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + len).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    format!("{}{with}{}", &text[..start], &text[end..])
}
