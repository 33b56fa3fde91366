//! Tests of the TRICALS risk profile (Westeneng et al. 2018 transformations and coefficients).
//!
//! Expected values were computed by hand (the arithmetic is in each test, 6 decimals) and the
//! full-precision figures checked with R 4 (`Rscript -e`, function below) and Python 3:
//!
//! ```r
//! f <- function(age, delay, frs, months, fvc, b, d, ftd) {
//!   s <- (frs - 48) / months; ts <- (-s + 0.1)^-0.5
//!   td <- (delay / 10)^-0.5 + log(delay / 10); ta <- (age / 100)^-2
//!   tf <- (fvc / 100)^-1 + (fvc / 100)^-0.5
//!   c(s, ts, td, ta, tf, -1.839*ts - 2.376*td - 0.264*ta + 0.474*tf + 0.271*b + 0.238*d + 0.415*ftd)
//! }
//! options(digits = 15)
//! ```

use super::*;

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol, "{what}: {a} vs {b}");
}

#[allow(clippy::too_many_arguments)]
fn inputs(
    age: f64,
    delay: f64,
    frs: f64,
    months: f64,
    fvc: f64,
    bulbar: bool,
    definite: bool,
    ftd: bool,
) -> TricalsInputs {
    TricalsInputs {
        age_at_onset: Some(age),
        diagnostic_delay: Some(delay),
        alsfrs_r: Some(frs),
        months_onset_to_baseline: Some(months),
        fvc_percent: Some(fvc),
        bulbar_onset: Some(bulbar),
        el_escorial_definite: Some(definite),
        ftd: Some(ftd),
    }
}

/// Checks every term and the LP against R's values (`expect` = slope, tSLOPE, tDXDELAY, tAGE,
/// tFVC, LP as printed by `f(...)` above).
fn check(i: TricalsInputs, expect: [f64; 6], eligible: bool) {
    let p = tricals(&i, &EligibilityWindow::default()).unwrap();
    let got = [p.slope, p.t_slope, p.t_dxdelay, p.t_age, p.t_fvc, p.lp];
    let names = ["slope", "tSLOPE", "tDXDELAY", "tAGE", "tFVC", "LP"];
    for ((g, e), n) in got.iter().zip(expect).zip(names) {
        close(*g, e, 1e-12, n);
    }
    assert_eq!(p.eligible, eligible, "eligible");
}

#[test]
fn tricals_patient_1_reference_points_of_every_transformation() {
    // Westeneng 2018 transformations at their reference points:
    // age 100 → tAGE = (100/100)^−2 = 1; delay 10 → tDXDELAY = 1^−0.5 + ln 1 = 1 + 0 = 1;
    // FVC 100 → tFVC = 1^−1 + 1^−0.5 = 2; ALSFRS-R 48 at 10 months → SLOPE = 0 →
    // tSLOPE = 0.1^−0.5 = √10 = 3.162278. Spinal, not definite, no FTD.
    // LP = −1.839·3.162278 − 2.376·1 − 0.264·1 + 0.474·2
    //    = −5.815429 − 2.376 − 0.264 + 0.948 = −7.507429 → below −6: not eligible.
    // R: f(100, 10, 48, 10, 100, 0, 0, 0)
    check(
        inputs(100.0, 10.0, 48.0, 10.0, 100.0, false, false, false),
        [0.0, 3.16227766016838, 1.0, 1.0, 2.0, -7.50742861704965],
        false,
    );
}

#[test]
fn tricals_patient_2_unit_terms_all_binary_terms_on() {
    // ALSFRS-R 39 at 10 months → SLOPE = (39 − 48)/10 = −0.9 → tSLOPE = (0.9 + 0.1)^−0.5 = 1;
    // delay 10 → 1; age 50 → tAGE = 0.5^−2 = 4; FVC 25 → tFVC = 0.25^−1 + 0.25^−0.5 = 4 + 2 = 6;
    // bulbar, definite, FTD.
    // LP = −1.839·1 − 2.376·1 − 0.264·4 + 0.474·6 + 0.271 + 0.238 + 0.415
    //    = −1.839 − 2.376 − 1.056 + 2.844 + 0.924 = −1.503 → above −2: not eligible.
    // R: f(50, 10, 39, 10, 25, 1, 1, 1)
    check(
        inputs(50.0, 10.0, 39.0, 10.0, 25.0, true, true, true),
        [-0.9, 1.0, 1.0, 4.0, 6.0, -1.503],
        false,
    );
}

#[test]
fn tricals_patient_3_delay_at_the_minimum_of_tdxdelay() {
    // delay 2.5 → x = 0.25, the minimum of x^−0.5 + ln x (derivative −0.5x^−1.5 + 1/x = 0 at
    // x^−0.5 = 2): tDXDELAY = 2 + ln 0.25 = 2 − 1.386294 = 0.613706.
    // ALSFRS-R 40 at 12 months → SLOPE = −8/12 = −0.666667 → tSLOPE = 0.766667^−0.5 = 1.142080;
    // age 60 → 0.6^−2 = 2.777778; FVC 80 → 1.25 + 0.8^−0.5 = 1.25 + 1.118034 = 2.368034;
    // spinal, definite, no FTD.
    // LP = −1.839·1.142080 − 2.376·0.613706 − 0.264·2.777778 + 0.474·2.368034 + 0.238
    //    = −2.100286 − 1.458165 − 0.733333 + 1.122448 + 0.238 = −2.931336 → eligible.
    // R: f(60, 2.5, 40, 12, 80, 0, 1, 0)
    check(
        inputs(60.0, 2.5, 40.0, 12.0, 80.0, false, true, false),
        [
            -0.666666666666667,
            1.142080481440322,
            0.613705638880109,
            2.777777777777778,
            2.368033988749895,
            -2.931335826013775,
        ],
        true,
    );
    // no delay does better than 2.5 months
    for d in [1.0, 2.0, 2.4, 2.6, 3.0, 10.0] {
        assert!(t_dxdelay(d) > t_dxdelay(2.5));
    }
}

#[test]
fn tricals_patient_4_typical_spinal_onset() {
    // ALSFRS-R 42 at 14 months → SLOPE = −6/14 = −0.428571 → tSLOPE = 0.528571^−0.5 = 1.375461;
    // delay 12 → 1.2^−0.5 + ln 1.2 = 0.912871 + 0.182322 = 1.095192; age 65 → 0.65^−2 =
    // 2.366864; FVC 95 → 0.95^−1 + 0.95^−0.5 = 1.052632 + 1.025978 = 2.078610; spinal,
    // probable (not definite), no FTD.
    // LP = −1.839·1.375461 − 2.376·1.095192 − 0.264·2.366864 + 0.474·2.078610
    //    = −2.529472 − 2.602177 − 0.624852 + 0.985261 = −4.771240 → eligible.
    // R: f(65, 12, 42, 14, 95, 0, 0, 0)
    check(
        inputs(65.0, 12.0, 42.0, 14.0, 95.0, false, false, false),
        [
            -0.428571428571429,
            1.375460610810754,
            1.095192485969231,
            2.366863905325443,
            2.078609931032522,
            -4.771240373640373,
        ],
        true,
    );
}

#[test]
fn tricals_patient_5_fast_bulbar_with_ftd() {
    // ALSFRS-R 30 at 8 months → SLOPE = −18/8 = −2.25 → tSLOPE = 2.35^−0.5 = 0.652328;
    // delay 6 → 0.6^−0.5 + ln 0.6 = 1.290994 − 0.510826 = 0.780169; age 70 → 0.7^−2 = 2.040816;
    // FVC 60 → 0.6^−1 + 0.6^−0.5 = 1.666667 + 1.290994 = 2.957661; bulbar, definite, FTD.
    // LP = −1.839·0.652328 − 2.376·0.780169 − 0.264·2.040816 + 0.474·2.957661 + 0.924
    //    = −1.199631 − 1.853681 − 0.538776 + 1.401931 + 0.924 = −1.266157 → not eligible.
    // R: f(70, 6, 30, 8, 60, 1, 1, 1)
    check(
        inputs(70.0, 6.0, 30.0, 8.0, 60.0, true, true, true),
        [
            -2.25,
            0.652328073053442,
            0.780168824969815,
            2.040816326530612,
            2.957661115402472,
            -1.266156595976871,
        ],
        false,
    );
}

#[test]
fn tricals_patient_6_floor_score_one_month_from_onset() {
    // ALSFRS-R 0 (the floor) 1 month from onset → SLOPE = −48 → tSLOPE = 48.1^−0.5 = 0.144187;
    // delay 20 → 2^−0.5 + ln 2 = 0.707107 + 0.693147 = 1.400254; age 45 → 0.45^−2 = 4.938272;
    // FVC 110 (above predicted) → 1.1^−1 + 1.1^−0.5 = 0.909091 + 0.953463 = 1.862553; spinal,
    // not definite, FTD.
    // LP = −1.839·0.144187 − 2.376·1.400254 − 0.264·4.938272 + 0.474·1.862553 + 0.415
    //    = −0.265161 − 3.327003 − 1.303704 + 0.882850 + 0.415 = −3.598017 → eligible.
    // R: f(45, 20, 0, 1, 110, 0, 0, 1)
    check(
        inputs(45.0, 20.0, 0.0, 1.0, 110.0, false, false, true),
        [
            -48.0,
            0.144187450182118,
            1.400253961746493,
            4.938271604938271,
            1.862553498336501,
            -3.598017479486784,
        ],
        true,
    );
}

#[test]
fn tricals_binary_terms_add_their_coefficients() {
    // Westeneng 2018: bulbar +0.271, definite +0.238, FTD +0.415 on the LP.
    let w = EligibilityWindow::default();
    let base = tricals(
        &inputs(60.0, 12.0, 40.0, 12.0, 90.0, false, false, false),
        &w,
    )
    .unwrap()
    .lp;
    let with = |b, d, f| {
        tricals(&inputs(60.0, 12.0, 40.0, 12.0, 90.0, b, d, f), &w)
            .unwrap()
            .lp
    };
    close(with(true, false, false) - base, 0.271, 1e-12, "bulbar");
    close(with(false, true, false) - base, 0.238, 1e-12, "definite");
    close(with(false, false, true) - base, 0.415, 1e-12, "ftd");
}

#[test]
fn tricals_window_ends_are_included() {
    // Decision (issue #23 leaves it open): the window −6.0 to −2.0 includes both ends.
    let w = EligibilityWindow::default();
    assert_eq!((w.lower(), w.upper()), (-6.0, -2.0));
    for (lp, inside) in [
        (-6.000001, false),
        (-6.0, true),
        (-6.0 - 1e-12, true),
        (-4.0, true),
        (-2.0, true),
        (-2.0 + 1e-12, true),
        (-1.999999, false),
        (f64::NAN, false),
    ] {
        assert_eq!(w.contains(lp), inside, "{lp}");
    }
    let narrow = EligibilityWindow::new(-5.0, -3.0).unwrap();
    let p = tricals(
        &inputs(60.0, 2.5, 40.0, 12.0, 80.0, false, true, false),
        &narrow,
    )
    .unwrap();
    assert!(!p.eligible); // −2.93 is outside −5 to −3
    assert!(EligibilityWindow::new(-2.0, -6.0).is_err());
    assert!(EligibilityWindow::new(f64::NAN, -2.0).is_err());
    assert!(serde_json::from_str::<EligibilityWindow>(r#"{"lower":-1,"upper":-3}"#).is_err());
    let w: EligibilityWindow = serde_json::from_str(r#"{"lower":-7,"upper":-1}"#).unwrap();
    assert_eq!((w.lower(), w.upper()), (-7.0, -1.0));
}

#[test]
fn tricals_missing_inputs_are_listed() {
    // Issue #23: missing inputs → no LP, with the list of what is missing.
    let w = EligibilityWindow::default();
    let e = tricals(&TricalsInputs::default(), &w).unwrap_err();
    assert_eq!(
        e.missing,
        [
            TricalsInput::AgeAtOnset,
            TricalsInput::DiagnosticDelay,
            TricalsInput::AlsfrsR,
            TricalsInput::MonthsOnsetToBaseline,
            TricalsInput::FvcPercent,
            TricalsInput::BulbarOnset,
            TricalsInput::ElEscorialDefinite,
            TricalsInput::Ftd,
        ]
    );
    assert!(e.invalid.is_empty());
    let i = TricalsInputs {
        fvc_percent: None,
        ftd: None,
        ..inputs(60.0, 12.0, 40.0, 12.0, 90.0, false, false, false)
    };
    let e = tricals(&i, &w).unwrap_err();
    assert_eq!(e.missing, [TricalsInput::FvcPercent, TricalsInput::Ftd]);
    assert_eq!(
        serde_json::to_string(&e).unwrap(),
        r#"{"missing":["fvc_percent","ftd"],"invalid":[]}"#
    );
    assert_eq!(
        e.to_string(),
        "no TRICALS risk profile: missing FVC % predicted, FTD"
    );
}

#[test]
fn tricals_invalid_inputs_at_the_domain_boundaries() {
    // tAGE, tDXDELAY, tFVC are undefined at 0 (division by 0, ln 0); no slope without time
    // since onset; ALSFRS-R is 0–48.
    let w = EligibilityWindow::default();
    let ok = inputs(60.0, 12.0, 40.0, 12.0, 90.0, false, false, false);
    let bad = |i: TricalsInputs| {
        let e = tricals(&i, &w).unwrap_err();
        assert!(e.missing.is_empty());
        e.invalid
    };
    assert_eq!(
        bad(TricalsInputs {
            age_at_onset: Some(0.0),
            ..ok
        }),
        [InvalidInput::AgeNotPositive { value: 0.0 }]
    );
    assert_eq!(
        bad(TricalsInputs {
            diagnostic_delay: Some(0.0),
            ..ok
        }),
        [InvalidInput::DelayNotPositive { value: 0.0 }]
    );
    assert_eq!(
        bad(TricalsInputs {
            diagnostic_delay: Some(-1.0),
            ..ok
        }),
        [InvalidInput::DelayNotPositive { value: -1.0 }]
    );
    assert_eq!(
        bad(TricalsInputs {
            fvc_percent: Some(0.0),
            ..ok
        }),
        [InvalidInput::FvcNotPositive { value: 0.0 }]
    );
    assert_eq!(
        bad(TricalsInputs {
            months_onset_to_baseline: Some(0.0),
            ..ok
        }),
        [InvalidInput::MonthsNotPositive { value: 0.0 }]
    );
    assert_eq!(
        bad(TricalsInputs {
            alsfrs_r: Some(48.5),
            ..ok
        }),
        [InvalidInput::AlsfrsOutOfRange { value: 48.5 }]
    );
    assert_eq!(
        bad(TricalsInputs {
            alsfrs_r: Some(-1.0),
            ..ok
        }),
        [InvalidInput::AlsfrsOutOfRange { value: -1.0 }]
    );
    assert!(matches!(
        bad(TricalsInputs {
            age_at_onset: Some(f64::NAN),
            ..ok
        })[..],
        [InvalidInput::NotFinite {
            input: TricalsInput::AgeAtOnset,
            ..
        }]
    ));
    // just inside the domains: a profile, finite
    for i in [
        TricalsInputs {
            diagnostic_delay: Some(1e-6),
            ..ok
        },
        TricalsInputs {
            fvc_percent: Some(1e-6),
            ..ok
        },
        TricalsInputs {
            age_at_onset: Some(1e-6),
            ..ok
        },
        TricalsInputs {
            months_onset_to_baseline: Some(1e-6),
            ..ok
        },
        TricalsInputs {
            alsfrs_r: Some(48.0),
            ..ok
        },
        TricalsInputs {
            alsfrs_r: Some(0.0),
            ..ok
        },
    ] {
        assert!(tricals(&i, &w).unwrap().lp.is_finite(), "{i:?}");
    }
    // missing and invalid together: both reported
    let e = tricals(
        &TricalsInputs {
            fvc_percent: Some(-5.0),
            ftd: None,
            ..ok
        },
        &w,
    )
    .unwrap_err();
    assert_eq!(e.missing, [TricalsInput::Ftd]);
    assert_eq!(e.invalid, [InvalidInput::FvcNotPositive { value: -5.0 }]);
    assert_eq!(
        e.to_string(),
        "no TRICALS risk profile: missing FTD; FVC -5 % is not above 0"
    );
    assert_eq!(
        serde_json::to_string(&e.invalid).unwrap(),
        r#"[{"reason":"fvc_not_positive","value":-5.0}]"#
    );
}

#[test]
fn tricals_values_near_zero_are_too_extreme_not_a_nan() {
    // Found by `staging_tricals_any_input_no_panic` (proptest-regressions/staging/props.txt): an
    // age of 5e-309 years and an FVC of 1.4e-308 % make tAGE and tFVC infinite, and their terms
    // (of opposite signs) summed to a NaN linear predictor. Each such input is now named.
    let w = EligibilityWindow::default();
    let i = inputs(
        5.116477268190845e-309,
        490696645916.6378,
        0.0,
        1.5856894461574743e-308,
        1.3975578174194644e-308,
        false,
        false,
        false,
    );
    let e = tricals(&i, &w).unwrap_err();
    assert!(e.missing.is_empty());
    assert_eq!(
        e.invalid,
        [
            InvalidInput::Extreme {
                input: TricalsInput::AgeAtOnset,
                value: 5.116477268190845e-309
            },
            InvalidInput::Extreme {
                input: TricalsInput::FvcPercent,
                value: 1.3975578174194644e-308
            },
        ]
    );
    assert!(e.invalid[0].to_string().contains("too extreme"));
    // An ordinary patient is unchanged (patient 4's profile is checked above).
    assert!(tricals(
        &inputs(60.0, 12.0, 40.0, 12.0, 90.0, false, false, false),
        &w
    )
    .is_ok());
}
