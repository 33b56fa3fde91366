//! Inputs of several tables: files given together, a workbook's sheets, or tables pasted one
//! after another. One text can carry several tables, each after a marker line
//! `#table: NAME` (what the page writes when several files are opened, and what a workbook of
//! several sheets becomes); tables pasted without markers are told apart where a blank line is
//! followed by a header line (a patient column and at least one other recognised column) that
//! differs from the first table's header. A text without either is one table.

use super::columns::guess_header;
use super::columns::Role;

/// The marker line before each table of a text of several: `#table: NAME`.
pub const MARKER: &str = "#table:";

/// One table of an input: its name and text, and the lines before it in the whole input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Section<'t> {
    pub name: Option<&'t str>,
    pub text: &'t str,
    /// Lines of the input before the table's first line (a line of the table + this = the
    /// line counted over the whole input).
    pub line_offset: usize,
}

/// The tables of one text, in order (one section, unnamed, for a text of one table).
pub fn split(text: &str) -> Vec<Section<'_>> {
    if let Some(s) = split_marked(text) {
        return s;
    }
    split_pasted(text)
}

/// Several texts given together (files): each is one table named by its file name, or, when
/// it has markers itself (a workbook of several sheets), its marked tables. Line offsets count
/// the texts one after another.
pub fn split_named<'t>(named: &[(&'t str, &'t str)]) -> Vec<Section<'t>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for &(name, text) in named {
        match split_marked(text) {
            Some(sections) => out.extend(sections.into_iter().map(|s| Section {
                line_offset: s.line_offset + offset,
                ..s
            })),
            None => out.push(Section {
                name: Some(name),
                text,
                line_offset: offset,
            }),
        }
        offset += line_count(text);
    }
    out
}

/// The tables of several texts as one text with markers (what the page puts in its paste area
/// when several files are opened): each text after `#table: NAME`, or as it is when it has
/// markers already (a workbook of several sheets).
pub fn join(named: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(named.iter().map(|(n, t)| n.len() + t.len() + 12).sum());
    for &(name, text) in named {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        if split_marked(text).is_none() {
            out.push_str(MARKER);
            out.push(' ');
            // A name is one line.
            out.extend(
                name.chars()
                    .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
            );
            out.push('\n');
        }
        out.push_str(text);
    }
    out
}

/// Lines in a text as the tokenizer counts them (a last line without a line end counts).
fn line_count(text: &str) -> usize {
    let n = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    n + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// Is `line` a marker? Its name then.
fn marker_name(line: &str) -> Option<&str> {
    let rest = line.trim_start_matches('\u{feff}').strip_prefix(MARKER)?;
    Some(rest.trim())
}

/// Tables after marker lines; None when the text has no marker at a line start.
fn split_marked(text: &str) -> Option<Vec<Section<'_>>> {
    let b = text.as_bytes();
    let starts_marker = |at: usize| b[at..].starts_with(MARKER.as_bytes());
    let first = if starts_marker(0) || text.starts_with('\u{feff}') && text[3..].starts_with(MARKER)
    {
        Some(0)
    } else {
        memchr::memmem::find_iter(b, b"\n#table:")
            .next()
            .map(|at| at + 1)
    }?;
    let mut out = Vec::new();
    // Text before the first marker is a table of its own when it has more than comments.
    let before = &text[..first];
    if before
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    {
        out.push(Section {
            name: None,
            text: before,
            line_offset: 0,
        });
    }
    let mut at = first;
    let mut line = 1 + memchr::memchr_iter(b'\n', &b[..first]).count();
    while at < b.len() {
        let eol = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i);
        let name = marker_name(text[at..eol].trim_end_matches('\r')).unwrap_or("");
        let body = (eol + 1).min(b.len());
        // The table runs to the next marker at a line start.
        let end = memchr::memmem::find(&b[body..], b"\n#table:").map_or(b.len(), |i| body + i + 1);
        let text_of = &text[body..end];
        out.push(Section {
            name: Some(name),
            text: text_of,
            line_offset: line,
        });
        line += 1 + memchr::memchr_iter(b'\n', text_of.as_bytes()).count();
        at = end;
    }
    Some(out)
}

/// Pasted tables without markers: a new table starts at a header line after a blank line.
fn split_pasted(text: &str) -> Vec<Section<'_>> {
    let whole = Section {
        name: None,
        text,
        line_offset: 0,
    };
    let b = text.as_bytes();
    // A blank line: only spaces, tabs, commas and semicolons (what a spreadsheet writes for an
    // empty row).
    let blank = |at: usize| {
        let eol = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i);
        b[at..eol]
            .iter()
            .all(|c| c.is_ascii_whitespace() || *c == b',' || *c == b';')
    };
    // Only a text that starts with a table's header can have more tables after it (a title
    // line, then a blank line, then the header is one table: `header` finds it).
    let first_line = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .unwrap_or("");
    let first = header_cells(first_line.trim_start_matches('\u{feff}'));
    if !is_table_header(&first) || memchr::memchr(b'\n', b).is_none() {
        return vec![whole];
    }
    let mut starts = vec![0usize];
    let mut resume = 0;
    // One pass over the line ends; only a line that starts like a blank one is looked at.
    for nl in memchr::memchr_iter(b'\n', b) {
        let next = nl + 1;
        if next >= b.len() || next < resume {
            continue;
        }
        if !matches!(b[next], b'\n' | b'\r' | b' ' | b'\t' | b',' | b';') || !blank(next) {
            continue;
        }
        // Skip the blank lines; the next line may start a table.
        let mut k = next;
        while k < b.len() && blank(k) {
            k = memchr::memchr(b'\n', &b[k..]).map_or(b.len(), |i| k + i + 1);
        }
        resume = k;
        if k >= b.len() {
            break;
        }
        let eol = memchr::memchr(b'\n', &b[k..]).map_or(b.len(), |i| k + i);
        let cells = header_cells(&text[k..eol]);
        if !is_table_header(&cells) {
            continue;
        }
        if first == cells {
            // The same header again: the rows go on (a file pasted twice is still one table).
            continue;
        }
        starts.push(k);
    }
    if starts.len() == 1 {
        return vec![whole];
    }
    let mut out = Vec::with_capacity(starts.len());
    let mut line = 0;
    for (j, &s) in starts.iter().enumerate() {
        let end = starts.get(j + 1).copied().unwrap_or(b.len());
        let t = &text[s..end];
        out.push(Section {
            name: None,
            text: t,
            line_offset: line,
        });
        line += memchr::memchr_iter(b'\n', t.as_bytes()).count();
    }
    out
}

/// A line's cells (by its own delimiter), trimmed, lower case.
fn header_cells(line: &str) -> Vec<String> {
    let d = super::tokenizer::detect_delimiter(line) as char;
    line.trim_end_matches('\r')
        .split(d)
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect()
}

/// A line that starts a table: a patient column and at least one other recognised column.
fn is_table_header(cells: &[String]) -> bool {
    let roles: Vec<Option<Role>> = cells.iter().map(|c| guess_header(c)).collect();
    roles.iter().any(|r| *r == Some(Role::Patient))
        && roles
            .iter()
            .filter(|r| r.as_ref().is_some_and(|r| *r != Role::Patient))
            .count()
            >= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_table_is_one_section() {
        let t = "id,date,alsfrs_r\nA,2020-01-01,40\n\nA,2020-02-01,39\n";
        assert_eq!(
            split(t),
            vec![Section {
                name: None,
                text: t,
                line_offset: 0
            }]
        );
    }

    #[test]
    fn marked_tables_with_their_lines() {
        let t = "#table: ALSFRS.csv\nid,day,alsfrs_r\nA,0,40\n#table: Death.csv\nid,death_days\nA,300\n";
        let s = split(t);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name, Some("ALSFRS.csv"));
        assert_eq!(s[0].text, "id,day,alsfrs_r\nA,0,40\n");
        assert_eq!(s[0].line_offset, 1);
        assert_eq!(s[1].name, Some("Death.csv"));
        assert_eq!(s[1].text, "id,death_days\nA,300\n");
        // line 2 of the second table ("A,300") is line 6 of the text
        assert_eq!(s[1].line_offset + 2, 6);
        // join gives the same text back
        let j = join(&[
            ("ALSFRS.csv", "id,day,alsfrs_r\nA,0,40\n"),
            ("Death.csv", "id,death_days\nA,300"),
        ]);
        assert_eq!(j, t.trim_end());
    }

    #[test]
    fn pasted_tables_split_at_a_new_header_after_a_blank_line() {
        let t = "id,day,alsfrs_r\nA,0,40\nA,30,39\n\nsubject_id,Death_Days\nA,300\n";
        let s = split(t);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[1].text, "subject_id,Death_Days\nA,300\n");
        assert_eq!(s[1].line_offset, 4);
        // A blank line before notes or before the same header again does not split.
        for t in [
            "id,day,alsfrs_r\nA,0,40\n\nNotes: scores by the nurse\n",
            "id,day,alsfrs_r\nA,0,40\n\nid,day,alsfrs_r\nB,0,41\n",
            "A title\n\nid,day,alsfrs_r\nA,0,40\n",
        ] {
            assert_eq!(split(t).len(), 1, "{t}");
        }
    }

    #[test]
    fn named_texts_count_lines_one_after_another() {
        let s = split_named(&[
            ("a.csv", "id,day,fvc\nA,0,90\n"),
            ("b.csv", "id,died\nA,no"),
        ]);
        assert_eq!(s[0].line_offset, 0);
        assert_eq!(s[1].line_offset, 2);
        assert_eq!(s[1].name, Some("b.csv"));
        // A workbook's marked sheets keep their own names.
        let wb = "#table: Cover\nAbout this file\n#table: Data\nid,day,fvc\nA,0,90\n";
        let s = split_named(&[("a.csv", "id\nA\n"), ("book.xlsx", wb)]);
        assert_eq!(
            s.iter().map(|s| s.name).collect::<Vec<_>>(),
            [Some("a.csv"), Some("Cover"), Some("Data")]
        );
        assert_eq!(s[2].line_offset, 2 + 3);
    }
}
