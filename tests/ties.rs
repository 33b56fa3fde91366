//! Rank tests on slopes that are equal in exact arithmetic but a few units in the last place apart
//! in floating point (issue #24, item 2). The data (tests/data/ties.csv) and the expected results
//! (tests/data/r/ties_tests.csv) are written by tests/r/ties_reference.R, which computes the
//! slopes exactly (integer least squares) so that R's `wilcox.test` and `cor.test` see the exact
//! ties; each expected value carries its R call.

use als_progression::pipeline::run;
use als_progression::settings::Settings;

fn data() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/ties.csv")).unwrap()
}

#[test]
fn rank_tests_see_the_exact_ties_as_r_does() {
    let settings = Settings {
        mixed_models: false,
        d50: false,
        ..Default::default()
    };
    let a = run(&data(), &settings).unwrap();

    // The test means something only if the floating-point slopes are not exactly tied: rates
    // (and changes pre − post) equal in exact arithmetic differ in their last bits.
    let pre: Vec<f64> = a.patients.iter().filter_map(|p| p.pre_rate).collect();
    let noisy = pre.iter().enumerate().any(|(i, &x)| {
        pre[i + 1..]
            .iter()
            .any(|&y| x != y && (x - y).abs() < 1e-12 * x.abs())
    });
    assert!(noisy, "no float noise between equal slopes: {pre:?}");
    let changes: Vec<f64> = a.patients.iter().filter_map(|p| p.change).collect();
    assert!(
        changes.iter().any(|&c| c != 0.0 && c.abs() < 1e-12),
        "no noisy zero change: {changes:?}"
    );

    let expected = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/r/ties_tests.csv"
    ))
    .unwrap();
    let mut checked = 0;
    for row in csv::Reader::from_reader(expected.as_bytes()).records() {
        let row = row.unwrap();
        let (kind, group, variable, quantity, value, call) =
            (&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]);
        let t = a
            .tests
            .iter()
            .find(|t| t.kind.name() == kind && t.group == group && t.variable.name() == variable)
            .unwrap_or_else(|| panic!("no {kind} test for {group} {variable}"));
        let what = format!("{kind} {group} {variable} {quantity} (R: {call})");
        match quantity {
            "method" => assert_eq!(t.method, value, "{what}"),
            _ => {
                let want: f64 = value.parse().unwrap();
                let got = match quantity {
                    "statistic" => t.statistic.unwrap(),
                    "p_value" => t.p_value.unwrap(),
                    q => panic!("unknown quantity {q}"),
                };
                assert!(
                    (got - want).abs() <= 1e-9 * want.abs().max(1e-12),
                    "{what}: got {got}, R {want}"
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 16);
}
