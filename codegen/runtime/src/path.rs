//! Where a value sits inside an input or a response, e.g.
//! `InferenceSpecification.Containers[0].Image`. Built on the stack as the walk goes down and
//! turned into text only when something is reported.

use std::fmt;

/// A location inside a JSON value or a Rust input, from its root.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// The top-level value.
    Root,
    /// A member of a structure, or a key of a map.
    Key(&'a Path<'a>, &'a str),
    /// An element of a list.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The member or map entry `key` below this location.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// The list element `index` below this location.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => write!(f, "{key}"),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Path;

    #[test]
    fn paths_print_like_the_model_names_them() {
        let root = Path::Root;
        let spec = root.key("InferenceSpecification");
        let containers = spec.key("Containers");
        let first = containers.index(0);
        assert_eq!(first.key("Image").to_string(), "InferenceSpecification.Containers[0].Image");
        assert_eq!(root.to_string(), "");
    }
}
