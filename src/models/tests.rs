//! Tests of the models module against R. Every reference number was produced once by
//! `Rscript tests/r/lmm_reference.R` (R 4.x, lme4 1.1-31, lmerTest 3.1-3, numDeriv 2016.8-1.1)
//! and is quoted with the R call that printed it.
//!
//! lme4's default optimiser (nloptwrap/BOBYQA, xtol_abs = ftol_abs = 1e-8) stops ~1e-5 short of
//! the optimum, so each model was also refitted with
//! `tight <- lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-13, ftol_abs = 1e-15,
//! xtol_rel = 0, ftol_rel = 0, maxeval = 1e5))`. We match the tight fits to 1e-6 relative and the
//! default fits to 1e-4 relative.

use super::d50::*;
use super::lmm::*;
use super::*;
use crate::data::{Dataset, Event, Measure, Patient, TimeAxis, Visit};
use crate::settings::{Settings, MONTH_DAYS};

struct Ref {
    terms: &'static [&'static str],
    estimate: &'static [f64],
    se: &'static [f64],
    df: &'static [f64],
    t: &'static [f64],
    p: &'static [f64],
    ci_low: &'static [f64],
    ci_high: &'static [f64],
    theta: [f64; 3],
    /// sd(intercept), sd(slope), corr, sigma
    sd: [f64; 4],
    crit: f64,
    singular: bool,
    nobs: usize,
    ngrps: usize,
}

fn close(what: &str, got: f64, want: f64, rel: f64, floor: f64) {
    let tol = rel * want.abs().max(floor);
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:.15e}, R {want:.15e} (|Δ| = {:.3e} > {tol:.3e})",
        (got - want).abs()
    );
}

/// Compare an entry's fixed effects, variance components and criterion with an R reference.
/// `rel`: tolerance for estimates, SEs, df, CIs, SDs, criterion; p-values get 10×.
fn check_fixed(label: &str, fixed: &[FixedEffect], r: &Ref, rel: f64) {
    assert_eq!(
        fixed.iter().map(|f| f.term.as_str()).collect::<Vec<_>>(),
        r.terms,
        "{label}: terms"
    );
    for (i, f) in fixed.iter().enumerate() {
        let w = |s: &str| format!("{label} {} {s}", f.term);
        close(&w("estimate"), f.estimate, r.estimate[i], rel, r.se[i]);
        close(&w("se"), f.se, r.se[i], rel, 0.0);
        close(&w("df"), f.df.unwrap(), r.df[i], rel, 0.0);
        close(&w("t"), f.t_value, r.t[i], rel, 1.0);
        // p-values far in the tail amplify differences in t and df (d log p ≈ df·dt/t + log(1+t²/df)·ddf/2):
        // relative 10·rel, or 10·rel·|log p| on the log scale below 1e-10.
        let (pg, pr) = (f.p_value.unwrap(), r.p[i]);
        if pr >= 1e-10 {
            close(&w("p"), pg, pr, 10.0 * rel, 0.0);
        } else {
            close(&w("log p"), pg.ln(), pr.ln(), 10.0 * rel, 1.0);
        }
        close(&w("ci_low"), f.ci_low.unwrap(), r.ci_low[i], rel, r.se[i]);
        close(
            &w("ci_high"),
            f.ci_high.unwrap(),
            r.ci_high[i],
            rel,
            r.se[i],
        );
    }
}

fn check_fit(label: &str, f: &LmmFit, r: &Ref, rel: f64) {
    check_fixed(label, &f.fixed, r, rel);
    for k in 0..3 {
        close(
            &format!("{label} theta[{k}]"),
            f.theta[k],
            r.theta[k],
            rel,
            r.theta[0],
        );
    }
    close(
        &format!("{label} sd_intercept"),
        f.sd_intercept,
        r.sd[0],
        rel,
        0.0,
    );
    close(&format!("{label} sd_slope"), f.sd_slope, r.sd[1], rel, 0.0);
    close(&format!("{label} corr"), f.corr.unwrap(), r.sd[2], rel, 1.0);
    close(&format!("{label} sigma"), f.sigma, r.sd[3], rel, 0.0);
    close(
        &format!("{label} criterion"),
        f.criterion,
        r.crit,
        rel.min(1e-8),
        0.0,
    );
    assert_eq!(f.singular, r.singular, "{label}: singular");
    assert_eq!(
        (f.n_obs, f.n_groups),
        (r.nobs, r.ngrps),
        "{label}: nobs/ngrps"
    );
    assert!(f.converged, "{label}: converged");
}

fn check_entry(label: &str, e: &MixedModelEntry, r: &Ref, rel: f64) {
    check_fixed(label, &e.fixed, r, rel);
    close(
        &format!("{label} sd_intercept"),
        e.sd_intercept.unwrap(),
        r.sd[0],
        rel,
        0.0,
    );
    close(
        &format!("{label} sd_slope"),
        e.sd_slope.unwrap(),
        r.sd[1],
        rel,
        0.0,
    );
    close(&format!("{label} corr"), e.corr.unwrap(), r.sd[2], rel, 1.0);
    close(
        &format!("{label} sigma"),
        e.sd_residual.unwrap(),
        r.sd[3],
        rel,
        0.0,
    );
    close(
        &format!("{label} criterion"),
        e.reml_criterion.unwrap(),
        r.crit,
        rel.min(1e-8),
        0.0,
    );
    assert_eq!(e.singular, r.singular, "{label}: singular");
    assert_eq!(
        (e.n_obs, e.n_patients),
        (r.nobs, r.ngrps),
        "{label}: nobs/ngrps"
    );
    assert!(e.converged, "{label}: converged");
}

/// R: `lmer(Reaction ~ Days + (Days | Subject), ss)`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const SLEEPSTUDY_REML_DEFAULT: Ref = Ref {
    terms: &["(Intercept)", "Days"],
    estimate: &[251.405104848485, 10.467285959596],
    se: &[6.82459669495491, 1.54578964390598],
    df: &[16.9997262884927, 16.9999837255917],
    t: &[36.8380896462844, 6.77148148899918],
    p: &[1.17155811120826e-17, 3.26382446992738e-06],
    ci_low: &[237.006446768967, 7.20595465099735],
    ci_high: &[265.803762928003, 13.7286172681946],
    theta: [0.966741773967412, 0.0151690588960361, 0.230909953207795],
    sd: [
        24.7406579949841,
        5.92213765889808,
        0.0655512382381282,
        25.5917957216753,
    ],
    crit: 1743.62827195995,
    singular: false,
    nobs: 180,
    ngrps: 18,
};

/// R: `lmer(Reaction ~ Days + (Days | Subject), ss, control = tight)`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const SLEEPSTUDY_REML_TIGHT: Ref = Ref {
    terms: &["(Intercept)", "Days"],
    estimate: &[251.405104848484, 10.4672859595964],
    se: &[6.82455626155296, 1.54578889288849],
    df: &[17.0000017391946, 17.0000001667997],
    t: &[36.8383079006628, 6.77148477890603],
    p: &[1.17088323710678e-17, 3.26378781183324e-06],
    ci_low: &[237.006549848271, 7.20595647577616],
    ci_high: &[265.803659848697, 13.7286154434167],
    theta: [0.966732893590541, 0.0151690675460488, 0.230909592018104],
    sd: [
        24.7404500812413,
        5.92213308186667,
        0.0655513775524519,
        25.5918157386296,
    ],
    crit: 1743.62827195849,
    singular: false,
    nobs: 180,
    ngrps: 18,
};

/// R: `lmer(Reaction ~ Days + (Days | Subject), ss, REML = FALSE)`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const SLEEPSTUDY_ML_DEFAULT: Ref = Ref {
    terms: &["(Intercept)", "Days"],
    estimate: &[251.405104848486, 10.4672859595958],
    se: &[6.63212274219029, 1.50223021383204],
    df: &[18.0011347663803, 18.0001769285147],
    t: &[37.9071851685088, 6.9678308046373],
    p: &[1.2637519375195e-18, 1.65222790511593e-06],
    ci_low: &[237.471594965465, 7.31121961746807],
    ci_high: &[265.338614731506, 13.6233523017235],
    theta: [0.929190605278248, 0.018165754720412, 0.222643205612618],
    sd: [
        23.779759589458,
        5.71679851392829,
        0.0813210934266345,
        25.591907036487,
    ],
    crit: 1751.93934448899,
    singular: false,
    nobs: 180,
    ngrps: 18,
};

/// R: `lmer(Reaction ~ Days + (Days | Subject), ss, REML = FALSE, control = tight)`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const SLEEPSTUDY_ML_TIGHT: Ref = Ref {
    terms: &["(Intercept)", "Days"],
    estimate: &[251.405104848483, 10.4672859595958],
    se: &[6.63227681340898, 1.50223679551974],
    df: &[18.0000001145031, 17.9999995369464],
    t: &[37.9063045650022, 6.96780027676953],
    p: &[1.26675700445783e-18, 1.6524151349349e-06],
    ci_low: &[237.471208320566, 7.3112035604076],
    ci_high: &[265.3390013764, 13.623368358784],
    theta: [0.929225476283716, 0.0181657025430857, 0.222645425632368],
    sd: [
        23.7805670408068,
        5.71683460636845,
        0.0813200558972676,
        25.5918156010027,
    ],
    crit: 1751.9393444632,
    singular: false,
    nobs: 180,
    ngrps: 18,
};

/// R: `lmer(score ~ 1 + t + t_after + (1 + t | id), pw[pw$group == "A", ])`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const PIECEWISE_GROUP_A_REML_DEFAULT: Ref = Ref {
    terms: &["(Intercept)", "t", "t_after"],
    estimate: &[37.6240825770667, -0.665276080468311, -0.0122142030389982],
    se: &[0.607773332871151, 0.114271385009833, 0.117225346021234],
    df: &[20.2207059569412, 33.1919608832343, 99.944671847431],
    t: &[61.9047933533522, -5.82189566015203, -0.104194216127848],
    p: &[
        1.56220710163557e-24,
        1.59684971045168e-06,
        0.917224029285583,
    ],
    ci_low: &[36.3571761376701, -0.897711893634725, -0.244787527413391],
    ci_high: &[38.8909890164634, -0.432840267301898, 0.220359121335394],
    theta: [2.4762956696544, 0.038728183642553, 0.359331723600394],
    sd: [
        2.51766715757744,
        0.367450852572483,
        0.107157774662655,
        1.01670700652996,
    ],
    crit: 461.166770570584,
    singular: false,
    nobs: 122,
    ngrps: 20,
};

/// R: `lmer(score ~ 1 + t + t_after + (1 + t | id), pw[pw$group == "A", ], control = tight)`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const PIECEWISE_GROUP_A_REML_TIGHT: Ref = Ref {
    terms: &["(Intercept)", "t", "t_after"],
    estimate: &[37.6240835308373, -0.665275642075649, -0.0122147014461894],
    se: &[0.607773534516791, 0.114271838829397, 0.117225269309141],
    df: &[20.2206440488609, 33.1911422043644, 99.9447095998189],
    t: &[61.904774384015, -5.82186870265452, -0.104198536016815],
    p: &[
        1.56242482538605e-24,
        1.59711643643186e-06,
        0.917220609842888,
    ],
    ci_low: &[36.3571764253164, -0.897712594837928, -0.244787872548558],
    ci_high: &[38.8909906363582, -0.43283868931337, 0.220358469656179],
    theta: [2.47630035918317, 0.0387279801452138, 0.359335296571937],
    sd: [
        2.51766812486068,
        0.367453887453784,
        0.107156164807606,
        1.016705471743,
    ],
    crit: 461.166770568739,
    singular: false,
    nobs: 122,
    ngrps: 20,
};

/// R: `lmer(score ~ 1 + t + t_after + (1 + t | id), pw[pw$group == "B", ])`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const PIECEWISE_GROUP_B_REML_DEFAULT: Ref = Ref {
    terms: &["(Intercept)", "t", "t_after"],
    estimate: &[36.1551351036021, -0.932375498805541, 0.529648395414009],
    se: &[0.818361553422589, 0.129996032188836, 0.143047972859529],
    df: &[20.7552642193317, 45.7008699252184, 108.091442849095],
    t: &[44.1799042885048, -7.17233813299121, 3.70259280733826],
    p: &[
        5.1780568477525e-22,
        5.20761039390049e-09,
        0.000337837680681102,
    ],
    ci_low: &[34.452036341105, -1.19409016650939, 0.246105214212875],
    ci_high: &[37.8582338660992, -0.670660831101696, 0.813191576615144],
    theta: [2.75123188465872, 0.0363905792293537, 0.29669389921317],
    sd: [
        3.4248676467025,
        0.372106818336653,
        0.121741300652287,
        1.24484877694246,
    ],
    crit: 525.643489348097,
    singular: false,
    nobs: 127,
    ngrps: 20,
};

/// R: `lmer(score ~ 1 + t + t_after + (1 + t | id), pw[pw$group == "B", ], control = tight)`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const PIECEWISE_GROUP_B_REML_TIGHT: Ref = Ref {
    terms: &["(Intercept)", "t", "t_after"],
    estimate: &[36.1551345973551, -0.93237528934891, 0.529650045717883],
    se: &[0.818360944347136, 0.129996492777298, 0.143047964754477],
    df: &[20.7553245257929, 45.6997861766345, 108.091422609201],
    t: &[44.1799365513448, -7.17231110954814, 3.70260455384288],
    p: &[
        5.17741533471574e-22,
        5.20875959460266e-09,
        0.000337823833937132,
    ],
    ci_low: &[34.4520374074706, -1.19409105294183, 0.24610687998125],
    ci_high: &[37.8582317872397, -0.670659525755987, 0.813193211454516],
    theta: [2.75123422125943, 0.0363870153556577, 0.296697531067373],
    sd: [
        3.42486528969718,
        0.37211019362868,
        0.121728086719423,
        1.24484686299423,
    ],
    crit: 525.643489343779,
    singular: false,
    nobs: 127,
    ngrps: 20,
};

/// R: `lmer(score ~ group * (t + t_after) + (1 + t | id), pw)`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const PIECEWISE_A_VS_B_REML_DEFAULT: Ref = Ref {
    terms: &[
        "(Intercept)",
        "groupB",
        "t",
        "t_after",
        "groupB:t",
        "groupB:t_after",
    ],
    estimate: &[
        37.5947490355469,
        -1.43529732901276,
        -0.676099288537425,
        -0.000759265544460892,
        -0.253143625985352,
        0.531791612489505,
    ],
    se: &[
        0.721608653212025,
        1.02335923655518,
        0.120321783556559,
        0.130234773705983,
        0.171989415350501,
        0.185439650852131,
    ],
    df: &[
        40.9002485139729,
        41.0890556018573,
        81.6572991076612,
        206.841868728119,
        82.0035475997907,
        208.593855540643,
    ],
    t: &[
        52.0985285697519,
        -1.40253517801261,
        -5.61909297346491,
        -0.00582997553460648,
        -1.47185584339283,
        2.86773411212661,
    ],
    p: &[
        5.07100231716455e-39,
        0.168266227219954,
        2.58734895032379e-07,
        0.995353997785349,
        0.144887309222759,
        0.00455872746424565,
    ],
    ci_low: &[
        36.1373228482219,
        -3.50187720860733,
        -0.91547268615835,
        -0.25751702483958,
        -0.595285139966778,
        0.166215548170111,
    ],
    ci_high: &[
        39.0521752228719,
        0.631282550581814,
        -0.436725890916499,
        0.255998493750658,
        0.0889978879960755,
        0.897367676808898,
    ],
    theta: [2.64594338686677, 0.0358050246692778, 0.317140838175987],
    sd: [
        3.01959891024073,
        0.36422622383377,
        0.112186727117839,
        1.14121826083982,
    ],
    crit: 991.938947239118,
    singular: false,
    nobs: 249,
    ngrps: 40,
};

/// R: `lmer(score ~ group * (t + t_after) + (1 + t | id), pw, control = tight)`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const PIECEWISE_A_VS_B_REML_TIGHT: Ref = Ref {
    terms: &[
        "(Intercept)",
        "groupB",
        "t",
        "t_after",
        "groupB:t",
        "groupB:t_after",
    ],
    estimate: &[
        37.5947481872896,
        -1.43529715914467,
        -0.676099562268002,
        -0.000758853763867635,
        -0.253143542704958,
        0.531791777432008,
    ],
    se: &[
        0.72161097992231,
        1.02336251489805,
        0.120321647421558,
        0.130234697011833,
        0.171989226869923,
        0.18543954354451,
    ],
    df: &[
        40.8998285115578,
        41.0886357183949,
        81.6578099983139,
        206.841965814739,
        82.0040474367819,
        208.593954249446,
    ],
    t: &[
        52.0983594115171,
        -1.40253051899957,
        -5.61910160604123,
        -0.00582681713306159,
        -1.47185697216031,
        2.8677366610556,
    ],
    p: &[
        5.07512727553634e-39,
        0.168267684523343,
        2.58722181446926e-07,
        0.995356514735585,
        0.144886981694399,
        0.00455869194945961,
    ],
    ci_low: &[
        36.1373168450707,
        -3.5018842989716,
        -0.915472666538289,
        -0.25751646114732,
        -0.595284650517211,
        0.166215925668488,
    ],
    ci_high: &[
        39.0521795295085,
        0.631289980682253,
        -0.436726457997716,
        0.255998753619585,
        0.088997565107295,
        0.897367629195528,
    ],
    theta: [2.64595505284154, 0.0358034697960683, 0.317140632274493],
    sd: [
        3.01961038004306,
        0.364225568895369,
        0.112181988512914,
        1.1412175640702,
    ],
    crit: 991.938947237141,
    singular: false,
    nobs: 249,
    ngrps: 40,
};

/// R: `lmer(score ~ group * (t + t_after) + (1 + t | id), pw, REML = FALSE, control = tight)`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const PIECEWISE_A_VS_B_ML_TIGHT: Ref = Ref {
    terms: &[
        "(Intercept)",
        "groupB",
        "t",
        "t_after",
        "groupB:t",
        "groupB:t_after",
    ],
    estimate: &[
        37.5949711386301,
        -1.43306553165028,
        -0.676838896379597,
        0.000811133135774224,
        -0.252895850034981,
        0.529347307448592,
    ],
    se: &[
        0.703134962645388,
        0.99715576611425,
        0.117613206731276,
        0.129152409275949,
        0.168099551969951,
        0.183852838016531,
    ],
    df: &[
        43.2929109149046,
        43.4936757597089,
        89.327849982589,
        210.59528260435,
        89.5453651973472,
        212.496065393535,
    ],
    t: &[
        53.4676458089744,
        -1.43715313128529,
        -5.75478651752133,
        0.00628043363899737,
        -1.50444095222923,
        2.8791902978457,
    ],
    p: &[
        3.56102292412437e-41,
        0.157830002665638,
        1.20277511784398e-07,
        0.994994917158272,
        0.135986970199545,
        0.00439471128885293,
    ],
    ci_low: &[
        36.1772417379168,
        -3.44336191116933,
        -0.910522015298628,
        -0.253786042376958,
        -0.586878051782469,
        0.166938322251337,
    ],
    ci_high: &[
        39.0127005393433,
        0.577230847868775,
        -0.443155777460566,
        0.255408308648506,
        0.0810863517125071,
        0.891756292645848,
    ],
    theta: [2.58570372973807, 0.0349121409352141, 0.306339816883693],
    sd: [
        2.93663016181164,
        0.350167726298368,
        0.113232438228632,
        1.13571795872728,
    ],
    crit: 983.84627547866,
    singular: false,
    nobs: 249,
    ngrps: 40,
};

/// R: `lmer(y ~ t + (1 + t | id), sg)  # "boundary (singular) fit"`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const SINGULAR_REML_DEFAULT: Ref = Ref {
    terms: &["(Intercept)", "t"],
    estimate: &[30.0541885714284, -0.424845714285697],
    se: &[0.367469253594749, 0.0382325963086684],
    df: &[24.1257075415332, 57.4843015939483],
    t: &[81.7869475539107, -11.1121335013644],
    p: &[5.24640530042823e-31, 6.0971379047917e-16],
    ci_low: &[29.2959783756761, -0.501391191392285],
    ci_high: &[30.8123987671808, -0.348300237179109],
    theta: [2.0416993501561, 0.085849903309336, 0.0],
    sd: [1.74150793972488, 0.073227377099567, 1.0, 0.85296982613612],
    crit: 467.569472197082,
    singular: true,
    nobs: 150,
    ngrps: 25,
};

/// R: `lmer(y ~ t + (1 + t | id), sg, control = tight)`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const SINGULAR_REML_TIGHT: Ref = Ref {
    terms: &["(Intercept)", "t"],
    estimate: &[30.0541885714278, -0.424845714285713],
    se: &[0.367468554103221, 0.0382318709442369],
    df: &[24.1262658806216, 57.4944974368841],
    t: &[81.7871032387322, -11.1123443292998],
    p: &[5.2393263352603e-31, 6.07779638250113e-16],
    ci_low: &[29.2959807424441, -0.501389447488141],
    ci_high: &[30.8123964004115, -0.348301981083285],
    theta: [2.04168741104297, 0.0858368425654788, 1.2059007611682e-08],
    sd: [
        1.7415035900108,
        0.0732164819523534,
        0.99999999999999,
        0.852972683571172,
    ],
    crit: 467.569472110624,
    singular: true,
    nobs: 150,
    ngrps: 25,
};

/// R: `lmer(y ~ t + (1 + t | id), sg, start = list(theta = c(th_tight[1:2], 0)), control = lmerControl(optimizer = NULL))`; summary(), VarCorr(), sigma(), REMLcrit()/deviance(), isSingular().
const SINGULAR_REML_BOUNDARY: Ref = Ref {
    terms: &["(Intercept)", "t"],
    estimate: &[30.0541885714278, -0.424845714285711],
    se: &[0.367468554103221, 0.0382318709442368],
    df: &[24.1262658818467, 57.4944974686089],
    t: &[81.7871032387322, -11.1123443292998],
    p: &[5.23932632026374e-31, 6.07779633660142e-16],
    ci_low: &[29.2959807424461, -0.501389447487232],
    ci_high: &[30.8123964004095, -0.348301981084191],
    theta: [2.04168741104297, 0.0858368425654788, 0.0],
    sd: [1.7415035900108, 0.0732164819523527, 1.0, 0.852972683571172],
    crit: 467.569472110624,
    singular: true,
    nobs: 150,
    ngrps: 25,
};

// ---- data ---------------------------------------------------------------------------------------

/// tests/data/sleepstudy.csv: `write.csv(sleepstudy[, c("Subject", "Days", "Reaction")], ...)`.
fn sleepstudy() -> (Vec<f64>, Vec<Vec<f64>>, Vec<f64>, Vec<usize>) {
    let csv = include_str!("../../tests/data/sleepstudy.csv");
    let (mut y, mut x, mut t, mut g) = (vec![], vec![], vec![], vec![]);
    let mut ids: Vec<String> = vec![];
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let gi = match ids.iter().position(|s| s == f[0]) {
            Some(i) => i,
            None => {
                ids.push(f[0].to_string());
                ids.len() - 1
            }
        };
        let d: f64 = f[1].parse().unwrap();
        y.push(f[2].parse().unwrap());
        x.push(vec![1.0, d]);
        t.push(d);
        g.push(gi);
    }
    (y, x, t, g)
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn visit(day: f64, line: usize, score: f64) -> Visit {
    let mut scores = crate::data::Scores::NONE;
    scores.set(Measure::AlsfrsR.index(), score);
    Visit { day, line, scores }
}

/// tests/data/piecewise.csv (id, group, day, event_day, score) as a Dataset: ALSFRS-R scores,
/// one event per patient (none where event_day is empty).
fn piecewise() -> Dataset {
    let csv = include_str!("../../tests/data/piecewise.csv");
    let mut patients: Vec<Patient> = Vec::new();
    for (ln, line) in csv.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let day: f64 = f[2].parse().unwrap();
        let score: f64 = f[4].parse().unwrap();
        if patients.last().map_or(true, |p| *p.id != *f[0]) {
            let events = if f[3].is_empty() {
                vec![]
            } else {
                vec![Event {
                    day: f[3].parse().unwrap(),
                    label: "event".into(),
                    line: ln + 1,
                }]
            };
            patients.push(Patient {
                id: f[0].into(),
                group: f[1].into(),
                onset: None,
                events,
                visits: vec![],
                line: ln + 1,
            });
        }
        patients
            .last_mut()
            .unwrap()
            .visits
            .push(visit(day, ln + 1, score));
    }
    Dataset {
        patients,
        time_axis: TimeAxis::Relative,
        measures: vec![Measure::AlsfrsR],
    }
}

/// tests/data/singular.csv (id, t, y).
fn singular_data() -> (Vec<f64>, Vec<Vec<f64>>, Vec<f64>, Vec<usize>) {
    let csv = include_str!("../../tests/data/singular.csv");
    let (mut y, mut x, mut t, mut g) = (vec![], vec![], vec![], vec![]);
    let mut ids: Vec<String> = vec![];
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if !ids.iter().any(|s| s == f[0]) {
            ids.push(f[0].to_string());
        }
        let tt: f64 = f[1].parse().unwrap();
        y.push(f[2].parse().unwrap());
        x.push(vec![1.0, tt]);
        t.push(tt);
        g.push(ids.len() - 1);
    }
    (y, x, t, g)
}

// ---- lmm: sleepstudy ----------------------------------------------------------------------------

#[test]
fn sleepstudy_reml_matches_lmer() {
    let (y, x, t, g) = sleepstudy();
    let f = fit_lmm(&y, &x, &names(&["(Intercept)", "Days"]), &t, &g, true).unwrap();
    check_fit("sleepstudy REML vs tight", &f, &SLEEPSTUDY_REML_TIGHT, 1e-6);
    check_fit(
        "sleepstudy REML vs default",
        &f,
        &SLEEPSTUDY_REML_DEFAULT,
        1e-4,
    );
    close("logLik", f.log_lik, -871.814135979245, 1e-9, 0.0); // logLik(m_tight)
    assert!(f.warnings.is_empty() && f.dropped.is_empty());
}

#[test]
fn sleepstudy_ml_matches_lmer() {
    let (y, x, t, g) = sleepstudy();
    let f = fit_lmm(&y, &x, &names(&["(Intercept)", "Days"]), &t, &g, false).unwrap();
    check_fit("sleepstudy ML vs tight", &f, &SLEEPSTUDY_ML_TIGHT, 1e-6);
    check_fit("sleepstudy ML vs default", &f, &SLEEPSTUDY_ML_DEFAULT, 1e-4);
    close("logLik", f.log_lik, -875.969672231599, 1e-9, 0.0);
}

#[test]
fn vcov_matches_lme4() {
    // R: vcov(lmer(Reaction ~ Days + (Days | Subject), ss, control = tight)) = se² on the diagonal;
    // off-diagonal from cov2cor: the correlation of fixed effects printed by summary() is -0.138.
    let (y, x, t, g) = sleepstudy();
    let f = fit_lmm(&y, &x, &names(&["(Intercept)", "Days"]), &t, &g, true).unwrap();
    close(
        "vcov[0][0]",
        f.vcov[0][0],
        6.82455626155296f64.powi(2),
        1e-6,
        0.0,
    );
    close(
        "vcov[1][1]",
        f.vcov[1][1],
        1.54578889288849f64.powi(2),
        1e-6,
        0.0,
    );
    let r = f.vcov[0][1] / (f.vcov[0][0] * f.vcov[1][1]).sqrt();
    assert!((r - -0.138).abs() < 5e-4, "corr of fixed effects {r}");
}

// ---- lmm: piecewise model through the application layer -----------------------------------------

#[test]
fn piecewise_models_match_lmer() {
    let ds = piecewise();
    let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
    let groups: Vec<&str> = out.iter().map(|e| e.group.as_ref()).collect();
    assert_eq!(groups, ["A", "B", "A vs B"]);
    for e in &out {
        assert_eq!(e.method, "REML");
        assert_eq!(e.measure, Measure::AlsfrsR);
        assert!(e.note.is_none(), "{}: {:?}", e.group, e.note);
    }
    assert_eq!(out[0].formula, GROUP_FORMULA);
    assert_eq!(out[2].formula, ARMS_FORMULA);
    check_entry(
        "group A vs tight",
        &out[0],
        &PIECEWISE_GROUP_A_REML_TIGHT,
        1e-6,
    );
    check_entry(
        "group A vs default",
        &out[0],
        &PIECEWISE_GROUP_A_REML_DEFAULT,
        1e-4,
    );
    check_entry(
        "group B vs tight",
        &out[1],
        &PIECEWISE_GROUP_B_REML_TIGHT,
        1e-6,
    );
    check_entry(
        "group B vs default",
        &out[1],
        &PIECEWISE_GROUP_B_REML_DEFAULT,
        1e-4,
    );
    check_entry(
        "A vs B vs tight",
        &out[2],
        &PIECEWISE_A_VS_B_REML_TIGHT,
        1e-6,
    );
    check_entry(
        "A vs B vs default",
        &out[2],
        &PIECEWISE_A_VS_B_REML_DEFAULT,
        1e-4,
    );
}

#[test]
fn piecewise_arms_ml_matches_lmer() {
    let ds = piecewise();
    let out = fit_mixed_models(&ds, MONTH_DAYS, false, &[Measure::AlsfrsR]);
    let e = out.iter().find(|e| e.group == "A vs B").unwrap();
    assert_eq!(e.method, "ML");
    check_entry("A vs B ML vs tight", e, &PIECEWISE_A_VS_B_ML_TIGHT, 1e-6);
}

// ---- lmm: the four design data sets, parse → analysis → models ---------------------------------

/// R: `lmer(score ~ 1 + t + t_after + (1 + t | id), x[x$group == "MSC", ], control = tight)`, x = design-lead-in.csv as the core models it (tests/r/lmm_reference.R, section 5);
/// summary(), VarCorr(), sigma(), REMLcrit(), isSingular().
const DESIGN_LEAD_IN_GROUP_MSC_REML_TIGHT: Ref = Ref {
    terms: &["(Intercept)", "t", "t_after"],
    estimate: &[37.4387621580648, -1.03705117727573, 0.235588278430065],
    se: &[1.03670648544545, 0.131148802196363, 0.092013921713416],
    df: &[11.1151742869729, 25.8546395510449, 107.85936946309],
    t: &[36.1131744458783, -7.90743918288328, 2.5603547163637],
    p: &[
        7.06886375770992e-13,
        2.28788233525134e-08,
        0.011840221098618,
    ],
    ci_low: &[35.1598679108716, -1.30670518614436, 0.053198028663981],
    ci_high: &[39.717656405258, -0.767397168407094, 0.41797852819615],
    theta: [4.6808433571561, -0.244230700726213, 0.390209344143359],
    sd: [
        3.56752446711197,
        0.350849283739887,
        -0.530545351503418,
        0.762154209167867,
    ],
    crit: 405.748858422657,
    singular: false,
    nobs: 131,
    ngrps: 12,
};

/// R: `lmer(score ~ 1 + t + t_after + (1 + t | id), x[x$group == "MSC", ], control = tight)`, x = design-controls.csv as the core models it (tests/r/lmm_reference.R, section 5);
/// summary(), VarCorr(), sigma(), REMLcrit(), isSingular().
const DESIGN_CONTROLS_GROUP_MSC_REML_TIGHT: Ref = Ref {
    terms: &["(Intercept)", "t", "t_after"],
    estimate: &[35.7703040762412, -1.11606985518295, 0.306066162738043],
    se: &[1.08111670637049, 0.196282667695768, 0.0989850763379568],
    df: &[9.13389039469524, 13.6943332679424, 99.0005000140475],
    t: &[33.086440960041, -5.6860336589312, 3.09204350858978],
    p: &[
        7.97431221333313e-11,
        6.11795901384526e-05,
        0.00258253324285676,
    ],
    ci_low: &[33.3301020927978, -1.53793757761098, 0.109658308585758],
    ci_high: &[38.2105060596846, -0.694202132754911, 0.502474016890327],
    theta: [4.26392674716304, 0.229279901262372, 0.659620440859577],
    sd: [
        3.39435096066099,
        0.555916182652035,
        0.328324792831571,
        0.796062212588287,
    ],
    crit: 386.457930401539,
    singular: false,
    nobs: 120,
    ngrps: 10,
};

/// R: `lmer(score ~ 1 + t + t_after + (1 + t | id), x[x$group == "Control", ], control = tight)`, x = design-controls.csv as the core models it (tests/r/lmm_reference.R, section 5);
/// summary(), VarCorr(), sigma(), REMLcrit(), isSingular().
const DESIGN_CONTROLS_GROUP_CONTROL_REML_TIGHT: Ref = Ref {
    terms: &["(Intercept)", "t", "t_after"],
    estimate: &[36.192406978922, -1.04307864239085, 0.148314484659571],
    se: &[1.13927251732382, 0.144487295723935, 0.0863820522436084],
    df: &[9.09189665574409, 16.6389691942109, 99.0007293170016],
    t: &[31.7679979360328, -7.21917201899748, 1.71695949340617],
    p: &[
        1.24922554328612e-10,
        1.62758045698607e-06,
        0.0891135836633759,
    ],
    ci_low: &[33.6191588676107, -1.34842483098948, -0.0230862320948103],
    ci_high: &[38.7656550902334, -0.737732453792214, 0.319715201413953],
    theta: [5.17891445443751, 0.107538263446039, 0.550427427853619],
    sd: [
        3.58507455260917,
        0.38823423285684,
        0.191747030124823,
        0.692244404527156,
    ],
    crit: 354.023232724172,
    singular: false,
    nobs: 120,
    ngrps: 10,
};

/// R: `lmer(score ~ group * (t + t_after) + (1 + t | id), x, control = tight)`, x = design-controls.csv as the core models it (tests/r/lmm_reference.R, section 5);
/// summary(), VarCorr(), sigma(), REMLcrit(), isSingular().
const DESIGN_CONTROLS_MSC_VS_CONTROL_REML_TIGHT: Ref = Ref {
    terms: &[
        "(Intercept)",
        "groupControl",
        "t",
        "t_after",
        "groupControl:t",
        "groupControl:t_after",
    ],
    estimate: &[
        35.7702804995813,
        0.422155725556592,
        -1.11609713753162,
        0.306096399145068,
        0.0730508713809575,
        -0.157819464639858,
    ],
    se: &[
        1.11056025183142,
        1.57059687320327,
        0.172283067985058,
        0.092755467835055,
        0.243740198807922,
        0.131409419813218,
    ],
    df: &[
        18.2224149078401,
        18.2236906582215,
        29.238081116083,
        198.000400351735,
        29.2822989235736,
        198.000703884718,
    ],
    t: &[
        32.2092209230366,
        0.26878681140858,
        -6.47827526282744,
        3.30003617349429,
        0.299707933850193,
        -1.20097527912519,
    ],
    p: &[
        1.60985702459857e-17,
        0.791113072956733,
        4.16450998356857e-07,
        0.00114647041974395,
        0.766517138725882,
        0.231195495208202,
    ],
    ci_low: &[
        33.4391196072122,
        -2.87464502745775,
        -1.46833098819991,
        0.123180997683705,
        -0.425245139344049,
        -0.416961131599058,
    ],
    ci_high: &[
        38.1014413919504,
        3.71895647857093,
        -0.763863286863325,
        0.489011800606431,
        0.571346882105964,
        0.101322202319341,
    ],
    theta: [4.67989092718453, 0.170193459047173, 0.619796909153781],
    sd: [
        3.49102070140755,
        0.479459205117427,
        0.264793851716743,
        0.745961979824982,
    ],
    crit: 743.609354574021,
    singular: false,
    nobs: 240,
    ngrps: 20,
};

/// R: `lmer(score ~ 1 + t + t_after + (1 + t | id), x[x$group == "all", ], control = tight)`, x = design-repeated.csv as the core models it (tests/r/lmm_reference.R, section 5);
/// summary(), VarCorr(), sigma(), REMLcrit(), isSingular().
const DESIGN_REPEATED_GROUP_ALL_REML_TIGHT: Ref = Ref {
    terms: &["(Intercept)", "t"],
    estimate: &[30.919089348562, -0.563767098325331],
    se: &[1.22634495760476, 0.0314449957711338],
    df: &[19.0015378689139, 11.8196677460124],
    t: &[25.2123916332251, -17.9286746428144],
    p: &[4.54711355359846e-16, 6.20678923771922e-10],
    ci_low: &[28.3523339135576, -0.632395971372584],
    ci_high: &[33.4858447835664, -0.495138225278078],
    theta: [8.17364418176574, -0.00785485591637047, 0.167334852442352],
    sd: [
        5.47021749361769,
        0.112112288676849,
        -0.0468893131177463,
        0.669250749356203,
    ],
    crit: 587.119603998212,
    singular: false,
    nobs: 212,
    ngrps: 20,
};

/// R: `lmer(score ~ 1 + t + t_after + (1 + t | id), x[x$group == "IV", ], control = tight)`, x = design-two-arm.csv as the core models it (tests/r/lmm_reference.R, section 5);
/// summary(), VarCorr(), sigma(), REMLcrit(), isSingular().
const DESIGN_TWO_ARM_GROUP_IV_REML_TIGHT: Ref = Ref {
    terms: &["(Intercept)", "t"],
    estimate: &[28.8186354988125, -0.474898584805264],
    se: &[1.14333629946511, 0.0959437785185444],
    df: &[5.00000083113954, 5.00000003428725],
    t: &[25.205738252424, -4.94975903740829],
    p: &[1.83446646797795e-06, 0.00428582827832164],
    ci_low: &[25.8795961223287, -0.721529918598655],
    ci_high: &[31.7576748752963, -0.228267251011873],
    theta: [4.27838840179758, 0.100738245181881, 0.333728077022424],
    sd: [
        2.77633361310474,
        0.226214277085515,
        0.288978686742608,
        0.648920423386117,
    ],
    crit: 113.408712849789,
    singular: false,
    nobs: 36,
    ngrps: 6,
};

/// R: `lmer(score ~ 1 + t + t_after + (1 + t | id), x[x$group == "IT", ], control = tight)`, x = design-two-arm.csv as the core models it (tests/r/lmm_reference.R, section 5);
/// summary(), VarCorr(), sigma(), REMLcrit(), isSingular().
const DESIGN_TWO_ARM_GROUP_IT_REML_TIGHT: Ref = Ref {
    terms: &["(Intercept)", "t"],
    estimate: &[29.9538182948316, -0.491111883363053],
    se: &[1.68562373888887, 0.0620699242729184],
    df: &[7.00432579328968, 4.55505013501522],
    t: &[17.7701687534233, -7.91223590355384],
    p: &[4.38028499934276e-07, 0.000790731973002401],
    ci_low: &[25.968450484532, -0.655471511481077],
    ci_high: &[33.9391861051312, -0.326752255245029],
    theta: [7.78795749454014, 0.137926574296731, 0.202029748096738],
    sd: [
        4.75363561784655,
        0.149312866782814,
        0.563836299073887,
        0.610382840581648,
    ],
    crit: 134.399245993937,
    singular: false,
    nobs: 43,
    ngrps: 8,
};

/// R: `lmer(score ~ group * (t + t_after) + (1 + t | id), x, control = tight)`, x = design-two-arm.csv as the core models it (tests/r/lmm_reference.R, section 5);
/// summary(), VarCorr(), sigma(), REMLcrit(), isSingular().
const DESIGN_TWO_ARM_IV_VS_IT_REML_TIGHT: Ref = Ref {
    terms: &["(Intercept)", "groupIT", "t", "groupIT:t"],
    estimate: &[
        28.8186354988167,
        1.12650812666945,
        -0.474898584805158,
        -0.0132624987023955,
    ],
    se: &[
        1.65636085980479,
        2.19162678982643,
        0.0842112514257079,
        0.11472441944461,
    ],
    df: &[
        11.9934995227299,
        12.0037229526654,
        10.1007853516363,
        11.1253914951595,
    ],
    t: &[
        17.3987662943286,
        0.514005455627174,
        -5.6393721357308,
        -0.115603101472209,
    ],
    p: &[
        7.10328543215837e-10,
        0.616578623906894,
        0.000207726027440448,
        0.910027329516395,
    ],
    ci_low: &[
        25.2095182538199,
        -3.64847218828448,
        -0.662279479940137,
        -0.265422454873525,
    ],
    ci_high: &[
        32.4277527438134,
        5.90148844162339,
        -0.287517689670179,
        0.238897457468734,
    ],
    theta: [6.49035623311702, 0.127141813975129, 0.289676749568075],
    sd: [
        4.04185612443527,
        0.197006650440151,
        0.401901689664415,
        0.622747963172146,
    ],
    crit: 250.420271077498,
    singular: false,
    nobs: 79,
    ngrps: 14,
};

/// Each design data set through the whole pipeline (default settings) against lmer fits of the
/// same model that R builds from the raw CSV: t from the first event (or the first visit), visits
/// with a score, event-only rows left out, dd/mm/yyyy dates (controls), months (two-arm, where
/// every visit is on or after the first event, so t_after and its interaction are dropped, as
/// lme4 drops them).
#[test]
fn designs_match_lmer() {
    let cases: [(&str, Measure, &[(&str, &Ref)]); 4] = [
        (
            "lead-in",
            Measure::AlsfrsR,
            &[("MSC", &DESIGN_LEAD_IN_GROUP_MSC_REML_TIGHT)],
        ),
        (
            "controls",
            Measure::AlsfrsR,
            &[
                ("MSC", &DESIGN_CONTROLS_GROUP_MSC_REML_TIGHT),
                ("Control", &DESIGN_CONTROLS_GROUP_CONTROL_REML_TIGHT),
                ("MSC vs Control", &DESIGN_CONTROLS_MSC_VS_CONTROL_REML_TIGHT),
            ],
        ),
        (
            "repeated",
            Measure::AlsfrsR,
            &[("all", &DESIGN_REPEATED_GROUP_ALL_REML_TIGHT)],
        ),
        (
            "two-arm",
            Measure::Alsfrs,
            &[
                ("IV", &DESIGN_TWO_ARM_GROUP_IV_REML_TIGHT),
                ("IT", &DESIGN_TWO_ARM_GROUP_IT_REML_TIGHT),
                ("IV vs IT", &DESIGN_TWO_ARM_IV_VS_IT_REML_TIGHT),
            ],
        ),
    ];
    for (design, measure, refs) in cases {
        let path = format!(
            "{}/tests/data/design-{design}.csv",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(path).unwrap();
        let a = crate::pipeline::run(&text, &Settings::default()).unwrap();
        for (group, r) in refs {
            let e = a
                .mixed_models
                .iter()
                .find(|e| e.group == *group && e.measure == measure)
                .unwrap_or_else(|| panic!("{design}: no model for {group}"));
            check_entry(&format!("{design} {group}"), e, r, 1e-6);
        }
    }
}

// ---- lmm: singular fit --------------------------------------------------------------------------

#[test]
fn singular_fit_matches_lmer() {
    let (y, x, t, g) = singular_data();
    let f = fit_lmm(&y, &x, &names(&["(Intercept)", "t"]), &t, &g, true).unwrap();
    assert!(f.singular);
    assert_eq!(f.theta[2], 0.0, "θ22 on its bound");
    check_fit("singular vs boundary", &f, &SINGULAR_REML_BOUNDARY, 1e-6);
    // the tight fit stopped at θ22 = 1.2e-8 (not exactly on the bound): same numbers to 1e-6
    check_fit("singular vs tight", &f, &SINGULAR_REML_TIGHT, 1e-6);
    // lmer's default stop (θ = 2.0416993501561, 0.085849903309336, 0) is 6e-5 away from the optimum in θ21, which
    // moves its Satterthwaite df for t by 1.8e-4 relative (57.4843 vs 57.4945 at the optimum): 1e-3 here.
    check_fit("singular vs default", &f, &SINGULAR_REML_DEFAULT, 1e-3);
}

// ---- lmm: cannot-fit cases, robustness ----------------------------------------------------------

fn patient(id: &str, group: &str, event: Option<f64>, visits: &[(f64, f64)]) -> Patient {
    Patient {
        id: id.into(),
        group: group.into(),
        onset: None,
        events: event
            .map(|d| {
                vec![Event {
                    day: d,
                    label: "e".into(),
                    line: 1,
                }]
            })
            .unwrap_or_default(),
        visits: visits
            .iter()
            .enumerate()
            .map(|(i, &(d, s))| visit(d, i + 2, s))
            .collect(),
        line: 1,
    }
}

/// Deterministic synthetic cohort (inline LCG): `m` patients, up to `max_visits` visits every
/// ~45 days, events at ~100 days (every 7th patient has none), piecewise decline + noise.
pub(super) fn synthetic(m: usize, max_visits: usize, seed: u64, groups: &[&str]) -> Dataset {
    let mut s = seed;
    let mut u = move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 11) as f64) / ((1u64 << 53) as f64)
    };
    let mut patients = Vec::with_capacity(m);
    for i in 0..m {
        let nv = 1 + (u() * max_visits as f64) as usize;
        let b0 = (u() - 0.5) * 8.0;
        let b1 = (u() - 0.5) * 0.8;
        let ev = if i % 7 == 3 {
            None
        } else {
            Some(60.0 + (u() * 80.0).round())
        };
        let g = groups[i % groups.len()];
        let eff = if i % groups.len() == 1 { 0.4 } else { 0.0 };
        let mut day = 0.0;
        let mut vs = Vec::with_capacity(nv);
        for _ in 0..nv {
            let t = (day - ev.unwrap_or(0.0)) / (365.25 / 12.0);
            let noise = (u() + u() + u() - 1.5) * 2.0;
            let y = 40.0 + b0 + (-0.9 + b1) * t + eff * t.max(0.0) + noise;
            vs.push((day, y.round().clamp(0.0, 48.0)));
            day += 30.0 + (u() * 30.0).round();
        }
        patients.push(patient(&format!("S{i}"), g, ev, &vs));
    }
    Dataset {
        patients,
        time_axis: TimeAxis::Relative,
        measures: vec![Measure::AlsfrsR],
    }
}

#[test]
fn no_post_event_data_drops_t_after_with_note() {
    // every visit before the event: t_after ≡ 0
    let mut ds = synthetic(40, 6, 11, &["A"]);
    for p in &mut ds.patients {
        p.events = vec![Event {
            day: 10_000.0,
            label: "e".into(),
            line: 1,
        }];
    }
    let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
    assert_eq!(out.len(), 1);
    let e = &out[0];
    assert_eq!(
        e.fixed.iter().map(|f| f.term.as_str()).collect::<Vec<_>>(),
        ["(Intercept)", "t"]
    );
    let note = e.note.as_deref().unwrap();
    assert!(
        note.contains("t_after dropped") && note.contains("no visit after the first event"),
        "{note}"
    );
    assert!(e.formula.contains("without t_after"));
}

#[test]
fn no_events_at_all_drops_t_after() {
    let mut ds = synthetic(40, 6, 12, &["A"]);
    for p in &mut ds.patients {
        p.events.clear();
    }
    let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
    let note = out[0].note.as_deref().unwrap();
    assert!(note.contains("t_after equals t"), "{note}");
    assert_eq!(out[0].fixed.len(), 2);
}

#[test]
fn too_few_observations_gives_note_and_no_numbers() {
    // 3 patients, 5 observations ≤ 2 × 3 random effects: lme4 stops with
    // "number of observations (=5) <= number of random effects (=6)"
    let ds = Dataset {
        patients: vec![
            patient("a", "A", Some(0.0), &[(0.0, 40.0), (60.0, 39.0)]),
            patient("b", "A", Some(0.0), &[(0.0, 35.0), (60.0, 33.0)]),
            patient("c", "A", Some(0.0), &[(0.0, 30.0)]),
        ],
        time_axis: TimeAxis::Relative,
        measures: vec![Measure::AlsfrsR],
    };
    let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
    assert_eq!(out.len(), 1);
    let e = &out[0];
    assert!(
        e.fixed.is_empty() && e.sd_residual.is_none() && e.reml_criterion.is_none() && !e.converged
    );
    assert!(
        e.note
            .as_deref()
            .unwrap()
            .contains("number of observations (5)"),
        "{:?}",
        e.note
    );
    assert_eq!((e.n_obs, e.n_patients), (5, 3));
    // one patient only
    let ds1 = Dataset {
        patients: vec![ds.patients[0].clone()],
        ..ds.clone()
    };
    let e1 = &fit_mixed_models(&ds1, MONTH_DAYS, true, &[Measure::AlsfrsR])[0];
    assert!(e1
        .note
        .as_deref()
        .unwrap()
        .contains("fewer than 2 patients"));
    // a measure without data gives no entry
    assert!(fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::Fvc]).is_empty());
}

#[test]
fn single_visit_patients_are_kept() {
    let ds = synthetic(300, 5, 5, &["A"]);
    let singles = ds.patients.iter().filter(|p| p.visits.len() == 1).count();
    assert!(singles > 30);
    let e = &fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR])[0];
    assert_eq!(e.n_patients, 300);
    assert!(e.converged && e.fixed.len() == 3, "{e:?}");
}

#[test]
fn three_arms_give_pairwise_comparisons() {
    let ds = synthetic(150, 8, 9, &["placebo", "low", "high"]);
    let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
    let labels: Vec<&str> = out.iter().map(|e| e.group.as_ref()).collect();
    assert_eq!(
        labels,
        [
            "placebo",
            "low",
            "high",
            "placebo vs low",
            "placebo vs high",
            "low vs high"
        ]
    );
    let terms: Vec<&str> = out[3].fixed.iter().map(|f| f.term.as_str()).collect();
    assert_eq!(
        terms,
        [
            "(Intercept)",
            "grouplow",
            "t",
            "t_after",
            "grouplow:t",
            "grouplow:t_after"
        ]
    );
    assert!(
        out.iter().all(|e| e.converged && e.note.is_none()),
        "{out:#?}"
    );
}

#[test]
fn large_cohort_converges() {
    // 10,000 patients (the release benchmark times 5,000 × ~15 visits)
    let ds = synthetic(10_000, 8, 2024, &["A"]);
    let e = &fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR])[0];
    assert!(e.converged && !e.singular, "{e:?}");
    assert_eq!(e.n_patients, 10_000);
    let slope = e.fixed[1].estimate;
    assert!((slope + 0.9).abs() < 0.05, "slope {slope}");
    assert!(e
        .fixed
        .iter()
        .all(|f| f.df.is_some() && f.p_value.is_some()));
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        /// Arbitrary small cohorts never panic and never produce NaN: either numbers or a note.
        #[test]
        fn never_panics_never_nan(m in 1usize..12, maxv in 1usize..6, seed in any::<u64>(), flat in any::<bool>()) {
            let mut ds = synthetic(m, maxv, seed, &["A", "B"]);
            if flat {
                for p in &mut ds.patients { for v in &mut p.visits { v.scores.set(0, 40.0); } }
            }
            let out = fit_mixed_models(&ds, MONTH_DAYS, true, &[Measure::AlsfrsR]);
            for e in &out {
                prop_assert!(serde_json::to_string(e).is_ok());
                if e.fixed.is_empty() { prop_assert!(e.note.is_some()); }
                for f in &e.fixed {
                    prop_assert!(f.estimate.is_finite() && f.se.is_finite() && f.t_value.is_finite());
                    for v in [f.df, f.p_value, f.ci_low, f.ci_high].into_iter().flatten() { prop_assert!(v.is_finite()); }
                }
                for v in [e.sd_intercept, e.sd_slope, e.corr, e.sd_residual, e.reml_criterion].into_iter().flatten() {
                    prop_assert!(v.is_finite());
                }
            }
        }
    }
}

// ---- D50 ----------------------------------------------------------------------------------------

/// R (tests/r/lmm_reference.R, section 4), e.g. for set a:
/// `nls(y ~ 48/(1+exp((t - d50)/dx)), data = data.frame(t, y), start = list(d50 = 20, dx = 6),
///  control = nls.control(tol = 1e-6, maxiter = 200))`; `coef(fit)`, `sqrt(mean(resid(fit)^2))`.
const D50_SETS: [(&[f64], &[f64], f64, f64, f64); 3] = [
    // set a: d50, dx = 19.9886180725964, 5.94529187424512; rmse 1.27892681537224
    (
        &[3., 6., 9., 12., 15., 18., 24., 30.],
        &[47., 43., 40., 39., 35., 27., 15., 9.],
        19.9886180725964,
        5.94529187424512,
        1.27892681537224,
    ),
    // set b: start = list(d50 = 40, dx = 12)
    (
        &[10., 13., 16., 19., 22., 28.],
        &[46., 43., 41., 42., 40., 34.],
        37.5765914507614,
        10.4035112018307,
        1.02553969596998,
    ),
    // set c: start = list(d50 = 12, dx = 3)
    (
        &[2., 4., 5., 8., 11., 14., 17., 20., 23., 26.],
        &[48., 44., 42., 39., 29., 15., 7., 4., 2., 0.],
        11.9896631056523,
        2.95645508690353,
        1.10677154655891,
    ),
];

#[test]
fn d50_curve_matches_nls() {
    for (i, (t, y, d50, dx, rmse)) in D50_SETS.iter().enumerate() {
        let f = fit_d50_curve(t, y).unwrap();
        close(&format!("set {i} d50"), f.d50, *d50, 1e-6, 0.0);
        close(&format!("set {i} dx"), f.dx, *dx, 1e-6, 0.0);
        close(&format!("set {i} rmse"), f.rmse, *rmse, 1e-6, 0.0);
    }
}

#[test]
fn d50_entries_and_phases() {
    let md = 365.25 / 12.0;
    let (t, y, d50, dx, _) = D50_SETS[2];
    let onset = -100.0;
    let mut with = patient(
        "c",
        "A",
        None,
        &t.iter()
            .zip(y)
            .map(|(&ti, &yi)| (onset + ti * md, yi))
            .collect::<Vec<_>>(),
    );
    with.onset = Some(onset);
    let without = patient("n", "A", None, &[(0.0, 40.0), (30.0, 39.0), (60.0, 38.0)]);
    let mut few = patient("f", "B", None, &[(0.0, 40.0), (30.0, 39.0)]);
    few.onset = Some(-300.0);
    let mut flat = patient(
        "z",
        "B",
        None,
        &[(0.0, 48.0), (30.0, 48.0), (60.0, 48.0), (90.0, 48.0)],
    );
    flat.onset = Some(-30.0);
    let ds = Dataset {
        patients: vec![with, without, few, flat],
        time_axis: TimeAxis::Relative,
        measures: vec![Measure::AlsfrsR],
    };
    let out = fit_d50(&ds, MONTH_DAYS);
    assert_eq!(out.len(), 4);
    let e = &out[0];
    close("d50", e.d50.unwrap(), d50, 1e-6, 0.0);
    close("dx", e.dx.unwrap(), dx, 1e-6, 0.0);
    assert_eq!(e.n_visits, 10);
    // rD50 = 1/(1+exp(-(t-D50)/dx)): boundaries at D50 -/+ dx·ln3 = 8.74 and 15.23 months
    let phases: Vec<&str> = e.phases.iter().map(|p| p.phase.as_str()).collect();
    assert_eq!(
        phases,
        ["I", "I", "I", "I", "II", "III", "IV", "IV", "IV", "IV"]
    );
    close("phase t", e.phases[3].t, 8.0, 1e-12, 0.0);
    assert!(e.note.is_none());
    assert!(out[1].note.as_deref().unwrap().contains("no symptom onset"));
    assert!(out[2].note.as_deref().unwrap().contains("at least 3"));
    assert_eq!(out[2].n_visits, 2);
    assert!(out[3].d50.is_none() && out[3].note.as_deref().unwrap().contains("did not converge"));
}

#[test]
fn phase_boundaries() {
    assert_eq!(
        phase_of(rd50(10.0 - 3.0f64.ln() * 2.0 - 1e-9, 10.0, 2.0)),
        "I"
    );
    assert_eq!(
        phase_of(rd50(10.0 - 3.0f64.ln() * 2.0 + 1e-9, 10.0, 2.0)),
        "II"
    );
    assert_eq!(phase_of(rd50(10.0, 10.0, 2.0)), "III");
    assert_eq!(
        phase_of(rd50(10.0 + 3.0f64.ln() * 2.0 + 1e-9, 10.0, 2.0)),
        "IV"
    );
}
