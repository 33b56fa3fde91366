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
    /// A quote that opened a field running over line breaks, taken as a character.
    StrayQuote,
    ItemsIncomplete,
    FewVisits,
    /// A period between two events shorter than the visit schedule, without visits of its own
    /// (one summary for all patients; `Period::shorter_than_schedule`).
    ShortInterval,
    NoPostData,
    NoEvent,
    ZeroPreRate,
    Layout,
    /// Cells holding a missing-value code (`NR`, `ND`, `999`, …), listed once per column.
    MissingCode,
    /// Two columns claim one role (one is used), or a column's values contradict its name
    /// (litres under an FVC % heading, ALSFRS-R totals under an ALSFRS heading).
    ColumnRole,
    /// A table of several (files, sheets, pasted tables) not used, or how it was joined.
    Table,
    /// A date outside the plausible range (before 1900 or after next year).
    ImplausibleDate,
    /// Endpoints that contradict each other or the visits: a visit after death, death before
    /// onset or before the first visit, two different death dates.
    Endpoint,
    /// A plausibility check (issue #23): a score rising more than disease allows, an item from
    /// 0 to 4, an FVC jump, events after death or before onset, onset after diagnosis.
    Implausible,
}

/// A diagnostic. In JSON, `file` is left out when it is None (an input of one table), so that
/// such inputs' diagnostics read as before tables were joined; binary forms carry every field.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: DiagKind,
    /// The table (file, sheet or pasted table) `line` is in, when the input has several.
    #[serde(default)]
    pub file: Option<String>,
    /// 1-based input line (of `file` when set), when it concerns one line.
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
            file: None,
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
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
}

impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // Text formats (JSON) leave out an empty `file`; binary ones (postcard, which reads
        // fields by position) write every field.
        let with_file = self.file.is_some() || !s.is_human_readable();
        let mut st = s.serialize_struct("Diagnostic", 6 + usize::from(with_file))?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("kind", &self.kind)?;
        if with_file {
            st.serialize_field("file", &self.file)?;
        } else {
            st.skip_field("file")?;
        }
        st.serialize_field("line", &self.line)?;
        st.serialize_field("column", &self.column)?;
        st.serialize_field("patient", &self.patient)?;
        st.serialize_field("message", &self.message)?;
        st.end()
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
