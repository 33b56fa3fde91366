# Reference values for src/survival (als-progression).
#
#   Rscript tests/r/survival_reference.R            (from the repository root)
#
# writes tests/data/r/survival-reference.json: every data set below (its input rows) and, for each,
# what R's survival package computes with its default arguments:
#   km       survfit(Surv(time, status) ~ group)         one entry per group (stratum i = fit[i]):
#              fit[i]$time, $n.risk, $n.event, $n.censor, $surv, $std.err, $lower, $upper (the rows
#              summary(fit[i], censored = TRUE) lists), summary(fit)$table[i, ] (what print(fit)
#              shows: n, events, median, 0.95LCL, 0.95UCL) and quantile(fit[i], 0.5)
#   logrank  survdiff(Surv(time, status) ~ group)         obs, exp, var, chisq, df, pvalue
#   cox      coxph(Surv(time, status) ~ group, ties = "efron")   coef, se, z, p, exp(coef) and
#              its 95% CI (summary(fit)$conf.int), fit$wald.test (summary rounds it) with the df and
#              p of summary(fit)$waldtest, loglik, likelihood ratio and score tests,
#              iter, and the warning coxph gave (e.g. "coefficient may be infinite")
#   cafs     two cohorts scored by a direct R implementation of the CAFS pairwise rule (below),
#              rank(score) and wilcox.test(score[group == 0], score[group == 1])
# Numbers are written with sprintf("%.17g") (jsonlite keeps only 15 digits); NA is null.
# Groups are factor levels in the order listed; the Rust tests use 0-based level indices.
suppressMessages(library(survival))

# --- a small JSON writer (17 significant digits) ---
json <- function(x) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    inner <- vapply(x, json, "")
    if (!is.null(names(x))) {
      return(paste0("{", paste0('"', names(x), '":', inner, collapse = ","), "}"))
    }
    return(paste0("[", paste(inner, collapse = ","), "]"))
  }
  if (is.matrix(x)) return(json(lapply(seq_len(nrow(x)), function(i) as.vector(x[i, ]))))
  one <- function(v) {
    if (is.character(v)) return(if (is.na(v)) "null" else paste0('"', gsub('"', '\\\\"', v), '"'))
    if (is.logical(v)) return(if (is.na(v)) "null" else if (v) "true" else "false")
    if (is.na(v) || !is.finite(v)) return("null")
    sprintf("%.17g", v)
  }
  vals <- vapply(as.list(x), one, "")
  if (inherits(x, "AsIs") || length(x) != 1) paste0("[", paste(vals, collapse = ","), "]") else vals
}
v <- function(x) I(as.vector(x)) # always a JSON array

# --- data sets: time, status (1 = event), group (factor) ---
mk <- function(name, what, time, status, group, levels = unique(group)) {
  list(name = name, what = what, time = time, status = status,
       group = factor(group, levels = levels))
}
sets <- list(
  mk("ties", "two groups; tied event times within and across groups; censoring at event times",
     c(1, 1, 2, 3, 3, 3, 4, 5, 5, 6, 7, 8, 8, 9, 10,   1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 9, 11, 12),
     c(1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0,    1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1),
     c(rep("A", 15), rep("B", 13))),
  mk("no_events", "group B has no events (monotone likelihood: the Cox coefficient diverges)",
     c(1, 2, 3, 4, 5, 6, 7, 8,   2, 4, 6, 8),
     c(1, 1, 1, 1, 0, 1, 1, 1,   0, 0, 0, 0),
     c(rep("A", 8), rep("B", 4))),
  mk("single", "group B is a single patient (an event); group A has ties and censoring",
     c(0.5, 1.5, 1.5, 2, 2.5, 3, 3, 3.5, 4, 6,   2.5),
     c(1, 1, 0, 1, 1, 1, 0, 0, 1, 0,             1),
     c(rep("A", 10), "B")),
  mk("single_censored", "group B is a single censored patient",
     c(1, 2, 2, 3, 4, 5, 6, 7,   3),
     c(1, 1, 1, 0, 1, 1, 0, 1,   0),
     c(rep("A", 8), "B")),
  mk("three", "three groups with ties, an event at time 0 and censoring at event times",
     c(0, 1, 1, 2, 3, 3, 5, 6, 8, 9,   1, 2, 3, 3, 4, 4, 7, 10,   2, 2, 3, 5, 5, 6, 7, 8, 11, 12),
     c(1, 1, 0, 1, 1, 0, 1, 1, 0, 1,   1, 1, 1, 0, 1, 1, 0, 1,    0, 1, 1, 1, 0, 1, 0, 1, 1, 0),
     c(rep("A", 10), rep("B", 8), rep("C", 10))),
  mk("three_no_events", "three groups, group B without events (one infinite coefficient)",
     c(1, 2, 3, 4, 5, 6, 7, 8,   2, 4, 6, 8,   1.5, 2.5, 3, 5, 9),
     c(1, 1, 1, 1, 0, 1, 1, 1,   0, 0, 0, 0,   1, 0, 1, 1, 0),
     c(rep("A", 8), rep("B", 4), rep("C", 5))),
  mk("early_censored", "group B censored before the first event: expected 0 (survdiff df 1), Cox coefficient NA",
     c(1, 2, 3, 4, 5, 6, 7, 8,   0.5, 0.5,   1.5, 2.5, 3, 5, 9),
     c(1, 1, 1, 1, 0, 1, 1, 1,   0, 0,       1, 0, 1, 1, 0),
     c(rep("A", 8), rep("B", 2), rep("C", 5))),
  mk("flat_half", "A: survival exactly 0.5 to the end (print.survfit and quantile.survfit differ); B: flat at 0.5 mid-curve; C: median never reached",
     c(1, 2, 3, 4, 5, 6, 7, 8,   1, 2, 3, 4, 5, 6, 7, 8,   1, 3, 4, 6, 8),
     c(1, 1, 1, 1, 0, 0, 0, 0,   1, 1, 1, 1, 0, 1, 1, 1,   1, 0, 0, 1, 0),
     c(rep("A", 8), rep("B", 8), rep("C", 5))),
  mk("all_die", "every patient of A dies (survival reaches 0: CI undefined), B likewise with ties at the end",
     c(1, 2, 2, 3, 5, 8,   1, 4, 6, 6, 6),
     c(1, 1, 1, 1, 1, 1,   1, 0, 1, 1, 1),
     c(rep("A", 6), rep("B", 5))),
  mk("near_ties", "times differing by 1e-10 are one time to R (aeqSurv, timefix = TRUE)",
     c(1, 1.0000000001, 2, 2.0000000001, 3, 4, 5,   1.0000000002, 2, 3.0000000001, 3, 6),
     c(1, 1, 1, 0, 1, 0, 1,                        1, 0, 1, 1, 0),
     c(rep("A", 7), rep("B", 5))),
  mk("lung", "survival::lung: time in days, status - 1, group = sex (1, 2)",
     lung$time, lung$status - 1, as.character(lung$sex), c("1", "2")),
  mk("veteran", "survival::veteran: time in days, status, group = celltype (4 levels)",
     veteran$time, veteran$status, as.character(veteran$celltype), levels(veteran$celltype))
)

out_sets <- list(); out_km <- list(); out_lr <- list(); out_cox <- list()
for (s in sets) {
  d <- data.frame(time = s$time, status = s$status, group = s$group)
  lev <- levels(d$group)
  out_sets[[length(out_sets) + 1]] <- list(
    name = s$name, what = s$what, groups = v(lev),
    time = v(d$time), status = v(as.integer(d$status)), group = v(as.integer(d$group) - 1L))

  fit <- survfit(Surv(time, status) ~ group, data = d)
  tab <- summary(fit)$table
  for (i in seq_along(lev)) {
    f <- fit[i]
    q <- quantile(f, 0.5)
    out_km[[length(out_km) + 1]] <- list(
      dataset = s$name, group = i - 1L,
      call = sprintf("survfit(Surv(time, status) ~ group)[%d]; summary(fit)$table[%d, ]; quantile(fit[%d], 0.5)", i, i, i),
      n = tab[i, "records"], events = tab[i, "events"],
      median = tab[i, "median"], lcl = tab[i, "0.95LCL"], ucl = tab[i, "0.95UCL"],
      q_median = q$quantile, q_lower = q$lower, q_upper = q$upper,
      time = v(f$time), n_risk = v(f$n.risk), n_event = v(f$n.event), n_censor = v(f$n.censor),
      surv = v(f$surv), std_err = v(f$std.err), lower = v(f$lower), upper = v(f$upper))
  }

  sd <- survdiff(Surv(time, status) ~ group, data = d)
  out_lr[[length(out_lr) + 1]] <- list(
    dataset = s$name, call = "survdiff(Surv(time, status) ~ group)",
    n = v(as.vector(sd$n)), observed = v(sd$obs), expected = v(sd$exp), var = sd$var,
    chisq = sd$chisq, df = sum(sd$exp > 0) - 1, pvalue = sd$pvalue)

  warn <- NULL
  cf <- withCallingHandlers(
    coxph(Surv(time, status) ~ group, data = d, ties = "efron"),
    warning = function(w) { warn <<- conditionMessage(w); invokeRestart("muffleWarning") })
  sm <- summary(cf)
  co <- sm$coefficients
  ci <- sm$conf.int
  out_cox[[length(out_cox) + 1]] <- list(
    dataset = s$name, call = 'coxph(Surv(time, status) ~ group, ties = "efron"); summary(fit)',
    coef = v(co[, "coef"]), se = v(co[, "se(coef)"]), z = v(co[, "z"]), p = v(co[, "Pr(>|z|)"]),
    hr = v(ci[, "exp(coef)"]), hr_lower = v(ci[, "lower .95"]), hr_upper = v(ci[, "upper .95"]),
    wald = unname(cf$wald.test), wald_df = unname(sm$waldtest["df"]),
    wald_p = unname(sm$waldtest["pvalue"]),
    lr = unname(sm$logtest["test"]), lr_p = unname(sm$logtest["pvalue"]),
    score = unname(sm$sctest["test"]), score_p = unname(sm$sctest["pvalue"]),
    loglik = v(cf$loglik), iter = cf$iter, warning = warn)
}

# --- CAFS: the pairwise rule of src/survival/cafs.rs, directly over all pairs ---
#   both died: later death better; one died at t_d: the survivor (followed to T) is better if
#   T >= t_d, else function at T; neither died: function at min(T_i, T_j). Function at c: change
#   of the last visit with t <= c, else 0; larger is better.
cafs_value <- function(vt, vc, c) {
  k <- which(vt <= c)
  if (length(k) == 0) 0 else vc[k[which.max(vt[k])]]
}
cafs_cmp <- function(P, i, j) {
  di <- P$died[i]; dj <- P$died[j]; ti <- P$time[i]; tj <- P$time[j]
  if (di && dj) return(sign(ti - tj))
  if (!di && dj && ti >= tj) return(1)
  if (di && !dj && tj >= ti) return(-1)
  cc <- min(ti, tj)
  sign(cafs_value(P$vt[[i]], P$vc[[i]], cc) - cafs_value(P$vt[[j]], P$vc[[j]], cc))
}
cafs_ref <- function(call, P) {
  n <- length(P$time)
  score <- vapply(1:n, function(i) sum(vapply(setdiff(1:n, i), function(j) cafs_cmp(P, i, j), 0)), 0)
  w <- suppressWarnings(wilcox.test(score[P$group == 0], score[P$group == 1]))
  list(call = call, group = v(P$group), died = v(P$died), time = v(P$time),
       visits = lapply(1:n, function(i) lapply(seq_along(P$vt[[i]]), function(k) v(c(P$vt[[i]][k], P$vc[[i]][k])))),
       score = v(score), rank = v(rank(score)),
       mean_score_a = mean(score[P$group == 0]), mean_score_b = mean(score[P$group == 1]),
       statistic = unname(w$statistic), p_value = w$p.value, method = w$method)
}
# monthly schedule with ties everywhere: integer formulas
P1 <- list(group = integer(0), died = logical(0), time = numeric(0), vt = list(), vc = list())
for (i in 1:60) {
  died <- ((i * 5) %% 7) < 2
  time <- ((i * 11) %% 13) + if (i %% 3 == 0) 0.5 else 0
  m <- 0:floor(time)
  if (died) m <- m[m < time]
  if (i %% 4 == 1) m <- m[m != 2]
  P1$group <- c(P1$group, i %% 2L); P1$died <- c(P1$died, died); P1$time <- c(P1$time, time)
  P1$vt[[i]] <- m; P1$vc[[i]] <- -floor(m * ((i * 3) %% 5 + 1) / 3)
}
# irregular visits, continuous times (rounded to 0.01, so some tie)
set.seed(22)
P2 <- list(group = integer(0), died = logical(0), time = numeric(0), vt = list(), vc = list())
for (i in 1:45) {
  died <- runif(1) < 0.3
  time <- round(runif(1, 0, 15), 2)
  vt <- sort(unique(round(runif(sample(0:8, 1), -1, time), 2)))
  vt <- vt[vt <= time]
  P2$group <- c(P2$group, as.integer(runif(1) < 0.5)); P2$died <- c(P2$died, died)
  P2$time <- c(P2$time, time); P2$vt[[i]] <- vt; P2$vc[[i]] <- round(-vt * runif(1, 0, 2))
}
out_cafs <- list(
  cafs_ref("monthly cohort (60, integer formulas): scores by all pairs; rank(score); wilcox.test(score[group == 0], score[group == 1])", P1),
  cafs_ref("irregular cohort (45, set.seed(22)): scores by all pairs; rank(score); wilcox.test(score[group == 0], score[group == 1])", P2))

res <- list(
  generated_by = "tests/r/survival_reference.R",
  r_version = R.version.string,
  survival_version = as.character(packageVersion("survival")),
  qnorm_975 = qnorm(0.975),
  datasets = out_sets, km = out_km, logrank = out_lr, cox = out_cox, cafs = out_cafs)
dir.create("tests/data/r", showWarnings = FALSE, recursive = TRUE)
writeLines(json(res), "tests/data/r/survival-reference.json")
cat("wrote tests/data/r/survival-reference.json:", length(out_sets), "data sets\n")
