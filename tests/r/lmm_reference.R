## Reference values for src/models (lmm/, d50.rs), read by src/models/tests.rs.
## Run from the crate root:  Rscript tests/r/lmm_reference.R
## Writes the data sets under tests/data/ (only if absent, so committed data stay fixed) and the
## reference values (15 significant digits), each row with the R call that produced it:
##   tests/data/r/lmm_fits.csv  model, quantity, term, value, r_call (one row per value)
##   tests/data/r/d50_nls.csv   set, quantity, values (space-separated), r_call
## R 4.2, lme4 1.1-31, lmerTest 3.1-3, numDeriv 2016.8-1.1.
suppressMessages({ library(lme4); library(lmerTest) })
options(digits = 15)
MONTH <- 365.25 / 12
g15 <- function(x) sprintf("%.15g", x)
## lme4's default nloptwrap stops at xtol_abs = ftol_abs = 1e-8; "tight" re-fits to the optimum.
tight <- lmerControl(optimizer = "nloptwrap",
                     optCtrl = list(xtol_abs = 1e-13, ftol_abs = 1e-15, xtol_rel = 0, ftol_rel = 0, maxeval = 1e5))

fits <- list()
## Fit `call` (R code, evaluated here) and record what the Rust tests compare, under `label`.
report <- function(label, call) {
  m <- eval(parse(text = call))
  cf <- coef(summary(m))
  vc <- as.data.frame(VarCorr(m))
  df <- cf[, "df"]
  rows <- function(quantity, term, value, accessor)
    data.frame(model = label, quantity = quantity, term = term, value = value,
               r_call = sprintf("%s with m <- %s", accessor, call), stringsAsFactors = FALSE)
  per_term <- function(quantity, v, accessor) rows(quantity, rownames(cf), g15(v), accessor)
  one <- function(quantity, v, accessor) rows(quantity, "", v, accessor)
  fits[[length(fits) + 1]] <<- rbind(
    per_term("estimate", cf[, "Estimate"], 'coef(summary(m))[, "Estimate"]'),
    per_term("se", cf[, "Std. Error"], 'coef(summary(m))[, "Std. Error"]'),
    per_term("df", df, 'coef(summary(m))[, "df"]'),
    per_term("t", cf[, "t value"], 'coef(summary(m))[, "t value"]'),
    per_term("p", cf[, "Pr(>|t|)"], 'coef(summary(m))[, "Pr(>|t|)"]'),
    per_term("ci_low", cf[, "Estimate"] - qt(0.975, df) * cf[, "Std. Error"],
             'coef(summary(m))[, "Estimate"] - qt(0.975, df) * coef(summary(m))[, "Std. Error"]'),
    per_term("ci_high", cf[, "Estimate"] + qt(0.975, df) * cf[, "Std. Error"],
             'coef(summary(m))[, "Estimate"] + qt(0.975, df) * coef(summary(m))[, "Std. Error"]'),
    rows("theta", c("1", "2", "3"), g15(getME(m, "theta")), 'getME(m, "theta")'),
    one("sd_intercept", g15(vc$sdcor[1]), "as.data.frame(VarCorr(m))$sdcor[1]"),
    one("sd_slope", g15(vc$sdcor[2]), "as.data.frame(VarCorr(m))$sdcor[2]"),
    one("corr", g15(vc$sdcor[3]), "as.data.frame(VarCorr(m))$sdcor[3]"),
    one("sigma", g15(sigma(m)), "sigma(m)"),
    one("criterion", g15(if (isREML(m)) REMLcrit(m) else deviance(m)),
        if (isREML(m)) "REMLcrit(m)" else "deviance(m)"),
    one("log_lik", g15(as.numeric(logLik(m))), "logLik(m)"),
    one("singular", as.character(isSingular(m)), "isSingular(m)"),
    one("nobs", as.character(nobs(m)), "nobs(m)"),
    one("ngrps", as.character(ngrps(m)), "ngrps(m)"))
  invisible(m)
}

## ---- 1. sleepstudy ----------------------------------------------------------------------------
data(sleepstudy, package = "lme4")
if (!file.exists("tests/data/sleepstudy.csv"))
  write.csv(sleepstudy[, c("Subject", "Days", "Reaction")], "tests/data/sleepstudy.csv",
            row.names = FALSE, quote = FALSE)
ss <- read.csv("tests/data/sleepstudy.csv")
ss$Subject <- factor(ss$Subject)
report("sleepstudy REML default", "lmer(Reaction ~ Days + (Days | Subject), ss)")
report("sleepstudy REML tight",   "lmer(Reaction ~ Days + (Days | Subject), ss, control = tight)")
report("sleepstudy ML default",   "lmer(Reaction ~ Days + (Days | Subject), ss, REML = FALSE)")
report("sleepstudy ML tight",     "lmer(Reaction ~ Days + (Days | Subject), ss, REML = FALSE, control = tight)")

## ---- 2. piecewise cohort: score ~ 1 + t + t_after, two arms ----------------------------------
if (!file.exists("tests/data/piecewise.csv")) {
  set.seed(20240501)
  rows <- list()
  for (i in 1:40) {
    grp <- if (i <= 20) "A" else "B"
    nv <- if (i %% 9 == 0) 1 else sample(3:10, 1)
    day <- cumsum(c(0, round(runif(nv - 1, 25, 70))))
    ev <- if (i %% 13 == 0) NA else round(runif(1, 60, 200))
    ref <- if (is.na(ev)) day[1] else ev
    t <- (day - ref) / MONTH
    ta <- pmax(0, t)
    b0 <- rnorm(1, 0, 3); b1 <- rnorm(1, 0, 0.3)
    eff <- if (grp == "B") 0.5 else 0.1
    score <- round(38 + b0 + (-0.9 + b1) * t + eff * ta + rnorm(nv, 0, 1.2))
    score <- pmin(48, pmax(0, score))
    rows[[i]] <- data.frame(id = sprintf("P%02d", i), group = grp, day = day,
                            event_day = ev, score = score)
  }
  write.csv(do.call(rbind, rows), "tests/data/piecewise.csv", row.names = FALSE, quote = FALSE, na = "")
}
pw <- read.csv("tests/data/piecewise.csv")
pw$ref <- ifelse(is.na(pw$event_day), ave(pw$day, pw$id, FUN = min), pw$event_day)
pw$t <- (pw$day - pw$ref) / MONTH
## A patient without an event (P13, P26) has t_after = 0 at every visit: all of their follow-up
## is "before" (issue #24). (The data were simulated with pmax(0, t) for them; the model does not.)
pw$t_after <- ifelse(is.na(pw$event_day), 0, pmax(0, pw$t))
pw$group <- factor(pw$group, levels = c("A", "B"))
for (g in c("A", "B")) {
  d <- sprintf('pw[pw$group == "%s", ]', g)
  report(paste("piecewise group", g, "REML default"),
         sprintf("lmer(score ~ 1 + t + t_after + (1 + t | id), %s)", d))
  report(paste("piecewise group", g, "REML tight"),
         sprintf("lmer(score ~ 1 + t + t_after + (1 + t | id), %s, control = tight)", d))
}
report("piecewise A vs B REML default", "lmer(score ~ group * (t + t_after) + (1 + t | id), pw)")
report("piecewise A vs B REML tight", "lmer(score ~ group * (t + t_after) + (1 + t | id), pw, control = tight)")
report("piecewise A vs B ML tight", "lmer(score ~ group * (t + t_after) + (1 + t | id), pw, REML = FALSE, control = tight)")

## ---- 3. singular fit: no between-patient slope variation -------------------------------------
if (!file.exists("tests/data/singular.csv")) {
  set.seed(7)
  rows <- list()
  for (i in 1:25) {
    t <- c(0, 1, 2, 3, 4, 6)
    y <- 30 + rnorm(1, 0, 2) - 0.5 * t + rnorm(length(t), 0, 1)
    rows[[i]] <- data.frame(id = sprintf("S%02d", i), t = t, y = round(y, 2))
  }
  write.csv(do.call(rbind, rows), "tests/data/singular.csv", row.names = FALSE, quote = FALSE)
}
sg <- read.csv("tests/data/singular.csv")
report("singular REML default", "lmer(y ~ t + (1 + t | id), sg)")
m_sg <- report("singular REML tight", "lmer(y ~ t + (1 + t | id), sg, control = tight)")
## nloptwrap stops at theta3 = 1.2e-8; the optimum is on the boundary theta3 = 0 exactly. Evaluate
## lmer/lmerTest at the tight theta with theta3 set to 0 (optimizer = NULL keeps the start).
th_tight <- getME(m_sg, "theta"); th0 <- c(th_tight[1:2], 0)
report("singular REML boundary", "lmer(y ~ t + (1 + t | id), sg, start = list(theta = c(th_tight[1:2], 0)), control = lmerControl(optimizer = NULL))")

## ---- 4. D50: nls(y ~ 48/(1+exp((t - d50)/dx))); set c also with onset as a point -------------
d50sets <- list(
  a = list(t = c(3, 6, 9, 12, 15, 18, 24, 30), d50 = 20, dx = 6),
  b = list(t = c(10, 13, 16, 19, 22, 28), d50 = 40, dx = 12),
  c = list(t = c(2, 4, 5, 8, 11, 14, 17, 20, 23, 26), d50 = 12, dx = 3)
)
d50rows <- list()
for (nm in names(d50sets)) {
  s <- d50sets[[nm]]
  i <- seq_along(s$t)
  y <- pmin(48, pmax(0, round(48 / (1 + exp((s$t - s$d50) / s$dx)) + 1.5 * sin(1.7 * i))))
  call <- sprintf(paste0("nls(y ~ 48/(1+exp((t - d50)/dx)), data = data.frame(t, y), start = list(d50 = %g, dx = %g), ",
                         "control = nls.control(tol = 1e-6, maxiter = 200))"), s$d50, s$dx)
  fit <- nls(y ~ 48 / (1 + exp((t - d50) / dx)), data = data.frame(t = s$t, y = y),
             start = list(d50 = s$d50, dx = s$dx),
             control = nls.control(tol = 1e-6, maxiter = 200))
  cf <- coef(fit)
  row <- function(quantity, v, how) data.frame(set = nm, quantity = quantity,
                                               values = paste(g15(v), collapse = " "),
                                               r_call = how, stringsAsFactors = FALSE)
  d50rows[[nm]] <- rbind(
    row("t", s$t, sprintf("t <- c(%s)", paste(s$t, collapse = ", "))),
    row("y", y, "y <- pmin(48, pmax(0, round(48 / (1 + exp((t - d50) / dx)) + 1.5 * sin(1.7 * seq_along(t)))))"),
    row("d50", cf[["d50"]], sprintf('coef(fit)[["d50"]] with fit <- %s', call)),
    row("dx", cf[["dx"]], sprintf('coef(fit)[["dx"]] with fit <- %s', call)),
    row("rmse", sqrt(mean(resid(fit)^2)), sprintf("sqrt(mean(resid(fit)^2)) with fit <- %s", call)))
  if (nm == "c") {
    ## The same visits with symptom onset as one more point, 48 at t = 0 (setting d50_onset_point).
    t0 <- c(0, s$t); y0 <- c(48, y)
    call0 <- sprintf(paste0("nls(y ~ 48/(1+exp((t - d50)/dx)), data = data.frame(t = c(0, t), y = c(48, y)), ",
                            "start = list(d50 = %g, dx = %g), control = nls.control(tol = 1e-6, maxiter = 200))"), s$d50, s$dx)
    fit0 <- nls(y ~ 48 / (1 + exp((t - d50) / dx)), data = data.frame(t = t0, y = y0),
                start = list(d50 = s$d50, dx = s$dx), control = nls.control(tol = 1e-6, maxiter = 200))
    cf0 <- coef(fit0)
    row0 <- function(quantity, v, how) data.frame(set = "c with onset", quantity = quantity,
                                                  values = paste(g15(v), collapse = " "),
                                                  r_call = how, stringsAsFactors = FALSE)
    d50rows[["c with onset"]] <- rbind(
      row0("t", t0, "c(0, t) with set c's t"),
      row0("y", y0, "c(48, y) with set c's y"),
      row0("d50", cf0[["d50"]], sprintf('coef(fit)[["d50"]] with fit <- %s', call0)),
      row0("dx", cf0[["dx"]], sprintf('coef(fit)[["dx"]] with fit <- %s', call0)),
      row0("rmse", sqrt(mean(resid(fit0)^2)), sprintf("sqrt(mean(resid(fit)^2)) with fit <- %s", call0)))
  }
}

## ---- 5. the four design data sets (tests/data/design-*.csv) ----------------------------------
## The model as the core builds it: per patient, t = (visit day − first event day) / MONTH, or from
## the first visit when the patient has no event; a visit is a row with a score of the measure
## (event-only rows are not visits); t_after = max(0, t), and 0 at every visit of a patient
## without an event; groups in order of first appearance ("all" without a group column). Months
## (two-arm) are days / MONTH, so t there is month − the first event's month.
design <- function(file, id, group, time, measure, dmy = FALSE) {
  d <- read.csv(file, skip = 1, stringsAsFactors = FALSE, na.strings = "")
  day <- if (time == "month") d[[time]] * MONTH else
    as.numeric(as.Date(d[[time]], format = if (dmy) "%d/%m/%Y" else "%Y-%m-%d"))
  g <- if (is.null(group)) rep("all", nrow(d)) else d[[group]]
  ids <- unique(d[[id]])
  g1 <- sapply(ids, function(p) g[d[[id]] == p][1])
  rows <- list()
  for (p in ids) {
    r <- d[[id]] == p
    ev <- day[r & !is.na(d$event) & d$event != ""]
    vis <- r & !is.na(d[[measure]])
    any_score <- r & rowSums(!is.na(d[, intersect(c("alsfrs_r", "alsfrs", "fvc", "aals"), names(d)), drop = FALSE])) > 0
    origin <- if (length(ev)) min(ev) else min(day[any_score])
    t <- (day[vis] - origin) / MONTH
    t_after <- if (length(ev)) pmax(0, t) else 0 * t
    rows[[length(rows) + 1]] <- data.frame(id = p, group = g1[[p]], t = t, t_after = t_after,
                                           score = d[[measure]][vis])
  }
  x <- do.call(rbind, rows)
  x$group <- factor(x$group, levels = unique(g1))
  x
}
for (spec in list(
  list("lead-in", "patient", "group", "visit_date", "alsfrs_r", FALSE),
  list("controls", "patient", "group", "visit_date", "alsfrs_r", TRUE),
  list("repeated", "patient", NULL, "visit_date", "alsfrs_r", FALSE),
  list("two-arm", "subject", "arm", "month", "alsfrs", FALSE))) {
  x <- design(sprintf("tests/data/design-%s.csv", spec[[1]]), spec[[2]], spec[[3]], spec[[4]], spec[[5]], spec[[6]])
  assign("x", x, envir = globalenv())
  x_is <- sprintf('x <- design("tests/data/design-%s.csv", ...) as the core models it (section 5)', spec[[1]])
  for (g in levels(x$group))
    report(paste("design", spec[[1]], "group", g, "REML tight"),
           sprintf('lmer(score ~ 1 + t + t_after + (1 + t | id), x[x$group == "%s", ], control = tight)  # %s', g, x_is))
  if (nlevels(x$group) == 2)
    report(paste("design", spec[[1]], paste(levels(x$group), collapse = " vs "), "REML tight"),
           sprintf("lmer(score ~ group * (t + t_after) + (1 + t | id), x, control = tight)  # %s", x_is))
}

## ---- 6. untreated patients: never treated, died before treatment -----------------------------
## Two arms of 14 patients; in each, patients 5 and 12 are never treated (visits for 2 years, no
## event) and patient 9 dies before treatment (3 visits, no event): 3 of 14 without an event. Visits every ~2 months; the
## event (the first treatment) at ~4-7 months; decline -0.8/month before, slowed by 0.35 (arm T)
## or 0.05 (arm C) after. Long layout as the tool reads it (id, group, day, alsfrs_r, event).
## t = (day - first event day) / MONTH, or from the first visit without an event; t_after = 0 at
## every visit of a patient without an event.
if (!file.exists("tests/data/untreated.csv")) {
  set.seed(20260112)
  rows <- list()
  for (arm in c("T", "C")) for (i in 1:14) {
    id <- sprintf("%s%02d", arm, i)
    untreated <- i %in% c(5, 12); died <- i == 9
    nv <- if (died) 3 else sample(8:12, 1)
    day <- cumsum(c(0, round(runif(nv - 1, 45, 75))))
    ev <- if (untreated || died) NA else round(runif(1, 120, 210))
    ref <- if (is.na(ev)) 0 else ev
    t <- (day - ref) / MONTH
    ta <- if (is.na(ev)) 0 * t else pmax(0, t)
    eff <- if (arm == "T") 0.35 else 0.05
    score <- round(40 + rnorm(1, 0, 3) + (-0.8 + rnorm(1, 0, 0.25)) * t + eff * ta + rnorm(nv, 0, 1))
    score <- pmin(48, pmax(0, score))
    r <- data.frame(id = id, group = arm, day = day, alsfrs_r = score, event = "")
    if (!is.na(ev)) r <- rbind(r, data.frame(id = id, group = arm, day = ev, alsfrs_r = NA, event = "treatment"))
    rows[[length(rows) + 1]] <- r[order(r$day, is.na(r$alsfrs_r)), ]
  }
  write.csv(do.call(rbind, rows), "tests/data/untreated.csv", row.names = FALSE, quote = FALSE, na = "")
}
un <- read.csv("tests/data/untreated.csv", stringsAsFactors = FALSE, na.strings = "")
un$score <- un$alsfrs_r
un_ev <- tapply(un$day[!is.na(un$event)], un$id[!is.na(un$event)], min)
un <- un[!is.na(un$score), ]
un$has_event <- un$id %in% names(un_ev)
un$ref <- ifelse(un$has_event, un_ev[un$id], ave(un$day, un$id, FUN = min))
un$t <- (un$day - un$ref) / MONTH
un$t_after <- ifelse(un$has_event, pmax(0, un$t), 0)
un$group <- factor(un$group, levels = c("T", "C"))
un_is <- '# un <- tests/data/untreated.csv (score rows), t from the first event (first visit without one), t_after <- ifelse(has_event, pmax(0, t), 0)'
for (g in c("T", "C"))
  report(paste("untreated group", g, "REML tight"),
         sprintf('lmer(score ~ 1 + t + t_after + (1 + t | id), un[un$group == "%s", ], control = tight)  %s', g, un_is))
report("untreated T vs C REML tight",
       sprintf("lmer(score ~ group * (t + t_after) + (1 + t | id), un, control = tight)  %s", un_is))
## The same models with the old, wrong t_after = pmax(0, t) for the untreated (for the record: the
## Rust test checks that its fit is not this one).
un$t_after <- pmax(0, un$t)
report("untreated group T REML tight, t_after = pmax(0, t) for all",
       sprintf('lmer(score ~ 1 + t + t_after + (1 + t | id), un[un$group == "T", ], control = tight)  # t_after <- pmax(0, t) for every patient'))

dir.create("tests/data/r", showWarnings = FALSE)
write.csv(do.call(rbind, fits), "tests/data/r/lmm_fits.csv", row.names = FALSE)
write.csv(do.call(rbind, d50rows), "tests/data/r/d50_nls.csv", row.names = FALSE)
cat("wrote tests/data/r/lmm_fits.csv and tests/data/r/d50_nls.csv\n")
