//! A template of the input the tool reads best (the long layout, one row per visit), with the
//! column names it recognises and two synthetic example patients, for a "download a template"
//! link or `synth --design template`.

/// The template as CSV text.
pub fn template_csv() -> String {
    "# Template for als-progression (long layout: one row per visit). SYNTHETIC EXAMPLE ROWS: replace them.\n\
# Columns: patient id, group, visit date (yyyy-mm-dd, dd/mm/yyyy or mm/dd/yyyy), scores (alsfrs_r 0-48, fvc % predicted),\n\
# event (a treatment or index date on its visit's row, or a row of its own), symptom onset date, death date (any row).\n\
patient,group,visit_date,alsfrs_r,fvc,event,onset,death_date\n\
SYN-001,treated,2024-01-08,40,88,,2023-02-15,\n\
SYN-001,treated,2024-02-05,39,86,injection,,\n\
SYN-001,treated,2024-04-01,38,85,,,\n\
SYN-001,treated,2024-07-01,37,82,,,\n\
SYN-002,control,2024-01-15,36,80,,2022-11-01,\n\
SYN-002,control,2024-02-12,35,77,index,,\n\
SYN-002,control,2024-05-13,32,73,,,2024-09-30\n"
        .to_string()
}

#[cfg(test)]
mod tests {
    /// The template reads without a warning or an error, every column recognised.
    #[test]
    fn the_template_reads_cleanly() {
        let t = super::template_csv();
        let p = crate::pipeline::parse(&t, &Default::default()).unwrap();
        assert!(
            p.info.columns.iter().all(|c| c.role != "ignored"),
            "{:?}",
            p.info.columns
        );
        assert!(
            p.diagnostics
                .iter()
                .all(|d| d.severity == crate::diag::Severity::Info),
            "{:?}",
            p.diagnostics
        );
        assert_eq!(p.dataset.patients.len(), 2);
        let death = p.dataset.patients[1]
            .clinical
            .as_ref()
            .and_then(|c| c.death);
        assert!(death.is_some());
    }
}
