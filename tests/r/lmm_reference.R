## Reference values for src/models (lmm.rs, d50.rs).
## Run from the crate root:  Rscript tests/r/lmm_reference.R
## Writes the data sets under tests/data/ (only if absent, so committed data stay fixed) and
## prints every reference number quoted in the Rust tests (15 significant digits).
## R 4.x, lme4 1.1-31, lmerTest 3.1-3, numDeriv 2016.8-1.1.
suppressMessages({ library(lme4); library(lmerTest) })
options(digits = 15)
MONTH <- 365.25 / 12
f15 <- function(x) paste(sprintf("%.15g", x), collapse = ", ")
## lme4's default nloptwrap stops at xtol_abs = ftol_abs = 1e-8; "tight" re-fits to the optimum.
tight <- lmerControl(optimizer = "nloptwrap",
                     optCtrl = list(xtol_abs = 1e-13, ftol_abs = 1e-15, xtol_rel = 0, ftol_rel = 0, maxeval = 1e5))

report <- function(label, m) {
  s <- summary(m)
  cf <- coef(s)
  vc <- as.data.frame(VarCorr(m))
  cat("==", label, "==\n")
  cat("terms   :", paste(rownames(cf), collapse = ", "), "\n")
  cat("estimate:", f15(cf[, "Estimate"]), "\n")
  cat("se      :", f15(cf[, "Std. Error"]), "\n")
  cat("df      :", f15(cf[, "df"]), "\n")
  cat("t       :", f15(cf[, "t value"]), "\n")
  cat("p       :", f15(cf[, "Pr(>|t|)"]), "\n")
  ci_lo <- cf[, "Estimate"] - qt(0.975, cf[, "df"]) * cf[, "Std. Error"]
  ci_hi <- cf[, "Estimate"] + qt(0.975, cf[, "df"]) * cf[, "Std. Error"]
  cat("ci_low  :", f15(ci_lo), "\n")
  cat("ci_high :", f15(ci_hi), "\n")
  cat("theta   :", f15(getME(m, "theta")), "\n")
  cat("sd_int, sd_slope, corr, sigma:", f15(c(vc$sdcor[1], vc$sdcor[2], vc$sdcor[3], sigma(m))), "\n")
  cat("REMLcrit/deviance:", f15(if (isREML(m)) REMLcrit(m) else deviance(m)), "\n")
  cat("logLik  :", f15(as.numeric(logLik(m))), "\n")
  cat("singular:", isSingular(m), " nobs:", nobs(m), " ngrps:", ngrps(m), "\n\n")
}

## ---- 1. sleepstudy ----------------------------------------------------------------------------
data(sleepstudy, package = "lme4")
if (!file.exists("tests/data/sleepstudy.csv"))
  write.csv(sleepstudy[, c("Subject", "Days", "Reaction")], "tests/data/sleepstudy.csv",
            row.names = FALSE, quote = FALSE)
ss <- read.csv("tests/data/sleepstudy.csv")
ss$Subject <- factor(ss$Subject)
report("sleepstudy REML default", lmer(Reaction ~ Days + (Days | Subject), ss))
report("sleepstudy REML tight",   lmer(Reaction ~ Days + (Days | Subject), ss, control = tight))
report("sleepstudy ML default",   lmer(Reaction ~ Days + (Days | Subject), ss, REML = FALSE))
report("sleepstudy ML tight",     lmer(Reaction ~ Days + (Days | Subject), ss, REML = FALSE, control = tight))

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
pw$t_after <- pmax(0, pw$t)
pw$group <- factor(pw$group, levels = c("A", "B"))
for (g in c("A", "B")) {
  d <- pw[pw$group == g, ]
  report(paste("piecewise group", g, "REML default"), lmer(score ~ 1 + t + t_after + (1 + t | id), d))
  report(paste("piecewise group", g, "REML tight"), lmer(score ~ 1 + t + t_after + (1 + t | id), d, control = tight))
}
report("piecewise A vs B REML default", lmer(score ~ group * (t + t_after) + (1 + t | id), pw))
report("piecewise A vs B REML tight", lmer(score ~ group * (t + t_after) + (1 + t | id), pw, control = tight))
report("piecewise A vs B ML tight", lmer(score ~ group * (t + t_after) + (1 + t | id), pw, REML = FALSE, control = tight))

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
report("singular REML default", lmer(y ~ t + (1 + t | id), sg))
m_sg <- lmer(y ~ t + (1 + t | id), sg, control = tight)
report("singular REML tight", m_sg)
## nloptwrap stops at theta3 = 1.2e-8; the optimum is on the boundary theta3 = 0 exactly. Evaluate
## lmer/lmerTest at the tight theta with theta3 set to 0 (optimizer = NULL keeps the start).
th0 <- getME(m_sg, "theta"); th0[3] <- 0
report("singular REML boundary", lmer(y ~ t + (1 + t | id), sg, start = list(theta = th0),
                                      control = lmerControl(optimizer = NULL)))

## ---- 4. D50: nls(y ~ 48/(1+exp((t - d50)/dx))) ------------------------------------------------
d50sets <- list(
  a = list(t = c(3, 6, 9, 12, 15, 18, 24, 30), d50 = 20, dx = 6),
  b = list(t = c(10, 13, 16, 19, 22, 28), d50 = 40, dx = 12),
  c = list(t = c(2, 4, 5, 8, 11, 14, 17, 20, 23, 26), d50 = 12, dx = 3)
)
for (nm in names(d50sets)) {
  s <- d50sets[[nm]]
  i <- seq_along(s$t)
  y <- pmin(48, pmax(0, round(48 / (1 + exp((s$t - s$d50) / s$dx)) + 1.5 * sin(1.7 * i))))
  fit <- nls(y ~ 48 / (1 + exp((t - d50) / dx)), data = data.frame(t = s$t, y = y),
             start = list(d50 = s$d50, dx = s$dx),
             control = nls.control(tol = 1e-6, maxiter = 200))
  cf <- coef(fit)
  cat("== D50", nm, "==\n")
  cat("t       :", f15(s$t), "\n")
  cat("y       :", f15(y), "\n")
  cat("d50, dx :", f15(cf), "\n")
  cat("rmse    :", f15(sqrt(mean(resid(fit)^2))), "\n\n")
}

## ---- 5. the four design data sets (tests/data/design-*.csv) ----------------------------------
## The model as the core builds it: per patient, t = (visit day − first event day) / MONTH, or from
## the first visit when the patient has no event; a visit is a row with a score of the measure
## (event-only rows are not visits); groups in order of first appearance ("all" without a group
## column). Months (two-arm) are days / MONTH, so t there is month − the first event's month.
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
    rows[[length(rows) + 1]] <- data.frame(id = p, group = g1[[p]], t = t, t_after = pmax(0, t),
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
  for (g in levels(x$group))
    report(paste("design", spec[[1]], "group", g, "REML tight"),
           lmer(score ~ 1 + t + t_after + (1 + t | id), x[x$group == g, ], control = tight))
  if (nlevels(x$group) == 2)
    report(paste("design", spec[[1]], paste(levels(x$group), collapse = " vs "), "REML tight"),
           lmer(score ~ group * (t + t_after) + (1 + t | id), x, control = tight))
}
