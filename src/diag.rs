//! Diagnostics: what was wrong with the input, where, and what was done about it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Something was skipped (a cell or a row).
    Error,
    /// Analysed, but worth a look.
    Warning,
    /// How an ambiguity was resolved.
    Info,
}

/// The kind of a diagnostic; stable names in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagKind {
    OutOfRange,
    BadNumber,
    BadDate,
    MissingId,
    MissingTime,
    DuplicateVisit,
    ConflictingValue,
    AmbiguousDates,
    UnknownColumn,
    RaggedRow,
    ItemsIncomplete,
    FewVisits,
    /// A period between two events shorter than the visit schedule, without visits of its own
    /// (one summary for all patients; `Period::shorter_than_schedule`).
    ShortInterval,
    NoPostData,
    NoEvent,
    ZeroPreRate,
    Layout,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: DiagKind,
    /// 1-based input line, when it concerns one line.
    pub line: Option<usize>,
    /// Column header as written in the input.
    pub column: Option<String>,
    /// Patient id, when known.
    pub patient: Option<String>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(severity: Severity, kind: DiagKind, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            kind,
            line: None,
            column: None,
            patient: None,
            message: message.into(),
        }
    }
    pub fn at(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }
    pub fn col(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
    pub fn patient(mut self, id: impl Into<String>) -> Self {
        self.patient = Some(id.into());
        self
    }
}

/// An input that cannot be analysed at all (empty, header only, no recognisable columns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputError {
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for InputError {}
