//! Checks on an input before it is sent: required members (always) and, when the caller turns
//! it on, the model's constraints (length, range, list and map sizes, and patterns with the
//! `pattern-validation` feature). Every problem is reported with its path, not only the first.

use std::fmt;
#[cfg(feature = "pattern-validation")]
use std::sync::OnceLock;

#[cfg(feature = "pattern-validation")]
use regex::{Regex, RegexBuilder};

use super::path::Path;

/// Walks a value, reporting what is wrong with it.
pub trait Validate {
    /// Reports every problem of `self`, which sits at `path`, into `report`.
    fn validate_into(&self, path: &Path<'_>, report: &mut Report);
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_into(&self, path: &Path<'_>, report: &mut Report) {
        (**self).validate_into(path, report);
    }
}

/// Runs `checks` on `value` from the root: `Ok`, or every problem with its path. What an
/// operation input's `check_required` and `validate` call: a trait object, so that a crate
/// with hundreds of operations compiles this once.
pub fn check(value: &dyn Validate, checks: Checks) -> Result<(), InvalidInput> {
    let mut report = Report::new(checks);
    value.validate_into(&Path::Root, &mut report);
    report.finish()
}

/// Which checks to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checks {
    /// Required members only.
    Required,
    /// Required members and every constraint of the model: lengths, ranges, sizes, and
    /// patterns when the `pattern-validation` feature is on.
    All,
}

/// Collects problems during a walk. Constraint checks do nothing unless the report runs
/// [`Checks::All`], so generated code calls them unguarded.
#[derive(Debug)]
pub struct Report {
    checks: Checks,
    problems: Vec<Problem>,
}

impl Report {
    /// A report that runs `checks`.
    pub fn new(checks: Checks) -> Self {
        Report { checks, problems: Vec::new() }
    }

    /// Whether constraints (beyond required members) are checked.
    pub fn constraints(&self) -> bool {
        self.checks == Checks::All
    }

    /// The problems found, or `Ok` when there are none.
    pub fn finish(self) -> Result<(), InvalidInput> {
        if self.problems.is_empty() { Ok(()) } else { Err(InvalidInput { problems: self.problems }) }
    }

    fn push(&mut self, path: &Path<'_>, kind: ProblemKind) {
        self.problems.push(Problem { path: path.to_string(), kind });
    }

    /// A required member is absent.
    pub fn missing(&mut self, path: &Path<'_>) {
        self.push(path, ProblemKind::Missing);
    }

    /// A value cannot be put where the HTTP binding puts it (always reported, like a missing
    /// member: the request would otherwise go to the wrong path or not be valid HTTP).
    pub fn unsendable(&mut self, path: &Path<'_>, reason: impl Into<String>) {
        self.push(path, ProblemKind::Unsendable { reason: reason.into() });
    }

    /// Checks the length of a string in Unicode scalar values, as Smithy counts it.
    pub fn string_length(&mut self, path: &Path<'_>, value: &str, min: Option<u64>, max: Option<u64>) {
        if self.constraints() {
            self.length(path, value.chars().count(), min, max);
        }
    }

    /// Checks a length (of a blob in bytes, a list or a map).
    pub fn length(&mut self, path: &Path<'_>, length: usize, min: Option<u64>, max: Option<u64>) {
        if !self.constraints() {
            return;
        }
        let length = length as u64;
        if min.is_some_and(|min| length < min) || max.is_some_and(|max| length > max) {
            self.push(path, ProblemKind::Length { length, min, max });
        }
    }

    /// Checks an integer against a range.
    pub fn range(&mut self, path: &Path<'_>, value: i64, min: Option<i64>, max: Option<i64>) {
        if !self.constraints() {
            return;
        }
        if min.is_some_and(|min| value < min) || max.is_some_and(|max| value > max) {
            self.out_of_range(path, value, min, max);
        }
    }

    /// Checks a float against a range; NaN is outside every bounded range.
    pub fn range_float(&mut self, path: &Path<'_>, value: f64, min: Option<f64>, max: Option<f64>) {
        if !self.constraints() {
            return;
        }
        let below = min.is_some_and(|min| value.is_nan() || value < min);
        let above = max.is_some_and(|max| value.is_nan() || value > max);
        if below || above {
            self.out_of_range(path, value, min, max);
        }
    }

    fn out_of_range<T: ToString>(&mut self, path: &Path<'_>, value: T, min: Option<T>, max: Option<T>) {
        let range = ProblemKind::Range {
            value: value.to_string(),
            min: min.map(|n| n.to_string()),
            max: max.map(|n| n.to_string()),
        };
        self.push(path, range);
    }

    /// Reports a value that does not match `pattern`, by a check that needs no regex engine
    /// (host labels), whichever checks the report runs.
    pub fn pattern_mismatch(&mut self, path: &Path<'_>, pattern: &'static str) {
        self.push(path, ProblemKind::Pattern { pattern });
    }

    /// Checks that a string matches a pattern as a whole. Without the `pattern-validation`
    /// feature, patterns are not checked (the regex engine is not compiled in).
    #[cfg(feature = "pattern-validation")]
    pub fn pattern(&mut self, path: &Path<'_>, value: &str, pattern: &Pattern) {
        if !self.constraints() {
            return;
        }
        if let Some(regex) = pattern.regex()
            && !regex.is_match(value)
        {
            self.push(path, ProblemKind::Pattern { pattern: pattern.source });
        }
    }

    /// Checks that a string matches a pattern as a whole. Without the `pattern-validation`
    /// feature, patterns are not checked (the regex engine is not compiled in).
    #[cfg(not(feature = "pattern-validation"))]
    pub fn pattern(&mut self, _path: &Path<'_>, _value: &str, _pattern: &Pattern) {}
}

/// A model pattern, compiled on first use (with the `pattern-validation` feature).
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    #[cfg(feature = "pattern-validation")]
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// A pattern from the model; the generator has checked that it compiles.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            #[cfg(feature = "pattern-validation")]
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the model writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// The compiled-size limit: classes such as `[\p{L}\p{N}]{0,1024}` need more than the
    /// regex crate's default. The generator checks every pattern with the same limit.
    pub const SIZE_LIMIT: usize = 64 << 20;

    #[cfg(feature = "pattern-validation")]
    fn regex(&self) -> Option<&Regex> {
        self.compiled.get_or_init(|| Self::compile(self.source).ok()).as_ref()
    }

    /// Compiles a model pattern to match the whole value, as AWS services apply patterns (the
    /// generator drops the model's own outer `^`/`$`, which botocore keeps only sometimes).
    #[cfg(feature = "pattern-validation")]
    pub fn compile(source: &str) -> Result<Regex, regex::Error> {
        RegexBuilder::new(&format!("^(?:{source})$")).size_limit(Self::SIZE_LIMIT).build()
    }
}

/// An input that cannot be sent, with every problem found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidInput {
    problems: Vec<Problem>,
}

impl InvalidInput {
    /// The problems, in the order of the input's members.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid input ({} problem{})",
            self.problems.len(),
            if self.problems.len() == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "; {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidInput {}

/// One problem with an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where, e.g. `InferenceSpecification.Containers[0].Image`.
    pub path: String,
    /// What.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = &self.path;
        match &self.kind {
            ProblemKind::Missing => write!(f, "`{path}` is required but missing"),
            ProblemKind::Length { length, min, max } => {
                write!(f, "`{path}` has length {length}, outside {}", bounds(min, max))
            }
            ProblemKind::Range { value, min, max } => {
                write!(f, "`{path}` is {value}, outside {}", bounds(min, max))
            }
            ProblemKind::Pattern { pattern } => write!(f, "`{path}` does not match the pattern {pattern:?}"),
            ProblemKind::Unsendable { reason } => write!(f, "`{path}` cannot be sent: {reason}"),
        }
    }
}

fn bounds(min: &Option<impl fmt::Display>, max: &Option<impl fmt::Display>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("{min}..={max}"),
        (Some(min), None) => format!("{min}.."),
        (None, Some(max)) => format!("..={max}"),
        (None, None) => "..".to_string(),
    }
}

/// The kinds of problems.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A required member is absent.
    Missing,
    /// A length is outside its bounds.
    Length {
        /// The actual length.
        length: u64,
        /// The inclusive minimum.
        min: Option<u64>,
        /// The inclusive maximum.
        max: Option<u64>,
    },
    /// A number is outside its bounds.
    Range {
        /// The actual value.
        value: String,
        /// The inclusive minimum.
        min: Option<String>,
        /// The inclusive maximum.
        max: Option<String>,
    },
    /// A string does not match its pattern.
    Pattern {
        /// The pattern.
        pattern: &'static str,
    },
    /// A value the HTTP binding cannot carry: an empty URI label, a header value with a line
    /// break. Checked always, as sending it would reach the wrong path or break the request.
    Unsendable {
        /// Why.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let root = Path::Root;
        let name = root.key("Name");
        let mut report = Report::new(Checks::All);
        report.missing(&root.key("Image"));
        report.length(&name, 0, Some(1), Some(63));
        report.range(&root.key("Count"), 11, Some(1), Some(10));
        let error = report.finish().unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid input (3 problems); `Image` is required but missing; `Name` has length 0, \
             outside 1..=63; `Count` is 11, outside 1..=10"
        );
    }

    #[cfg(feature = "pattern-validation")]
    #[test]
    fn a_value_outside_its_pattern_is_reported_with_the_pattern() {
        let mut report = Report::new(Checks::All);
        static LOWER: Pattern = Pattern::new("^[a-z]+$");
        report.pattern(&Path::Root.key("Name"), "ABC", &LOWER);
        report.pattern(&Path::Root.key("Other"), "abc", &LOWER);
        let error = report.finish().unwrap_err();
        assert_eq!(error.to_string(), "invalid input (1 problem); `Name` does not match the pattern \"^[a-z]+$\"");
    }

    #[cfg(not(feature = "pattern-validation"))]
    #[test]
    fn without_the_feature_patterns_are_not_checked() {
        let mut report = Report::new(Checks::All);
        static LOWER: Pattern = Pattern::new("^[a-z]+$");
        report.pattern(&Path::Root.key("Name"), "ABC", &LOWER);
        assert!(report.finish().is_ok());
    }

    #[test]
    fn nan_is_out_of_any_bounded_range() {
        let mut report = Report::new(Checks::All);
        report.range_float(&Path::Root, f64::NAN, Some(0.0), None);
        assert_eq!(report.finish().unwrap_err().problems().len(), 1);
    }
}
