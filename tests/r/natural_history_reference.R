# Reference values for tests/natural_history.rs (issue #21, natural history: no events).
# Run from the project root:  Rscript tests/r/natural_history_reference.R
# Writes tests/data/natural-history.csv (two groups, ALSFRS-R on dates, no event column values)
# and tests/data/natural-history.expected.csv: one row per expected value with its R call.
#
# Rules from the issue text: a patient without events has a whole-course rate, the decline per
# month of lm(score ~ t) over every visit (t = days / (365.25/12)), with its SE and 95% CI
# (confint; the CI of the decline is the slope's CI with the sign turned); the groups' rates are
# summarised (mean, sd, median, quantile type 7) and compared (wilcox.test, t.test).

set.seed(21)
md <- 365.25 / 12
rows <- list()
start <- as.Date("2021-03-01")
for (g in c("Slow", "Fast")) {
  for (i in 1:7) {
    id <- sprintf("%s-%02d", substr(g, 1, 1), i)
    n <- 2 + (i %% 5)                                   # 2 to 6 visits
    gaps <- sample(c(28, 35, 42, 56, 61, 90, 91), n - 1, replace = TRUE)
    days <- c(0, cumsum(gaps)) + sample(0:40, 1)
    rate <- if (g == "Slow") runif(1, 0.2, 0.7) else runif(1, 0.6, 1.6)
    y0 <- sample(36:46, 1)
    y <- pmax(0, pmin(48, round(y0 - rate * days / md + rnorm(n, 0, 0.8))))
    rows[[length(rows) + 1]] <- data.frame(
      id = id, group = g, visit_date = format(start + days), alsfrs_r = y, event = "")
  }
}
d <- do.call(rbind, rows)
write.csv(d, "tests/data/natural-history.csv", row.names = FALSE, quote = FALSE, na = "")

out <- list()
emit <- function(key, id, variable, value, call) {
  out[[length(out) + 1]] <<- data.frame(
    key = key, id = id, variable = variable,
    value = if (is.na(value)) "NA" else sprintf("%.15g", value), r_call = call)
}
d$t <- as.numeric(as.Date(d$visit_date)) / md
res <- data.frame()
for (pid in unique(d$id)) {
  p <- d[d$id == pid, ]
  fit <- lm(alsfrs_r ~ t, data = p)
  rate <- -unname(coef(fit)["t"])
  emit("patient", pid, "course_rate", rate, "-coef(lm(alsfrs_r ~ t))['t']")
  if (nrow(p) > 2) {
    se <- summary(fit)$coefficients["t", "Std. Error"]
    ci <- confint(fit)["t", ]
    emit("patient", pid, "course_rate_se", se, "summary(lm(alsfrs_r ~ t))$coefficients['t', 'Std. Error']")
    emit("patient", pid, "course_rate_ci_low", -ci[[2]], "-confint(lm(alsfrs_r ~ t))['t', 2]")
    emit("patient", pid, "course_rate_ci_high", -ci[[1]], "-confint(lm(alsfrs_r ~ t))['t', 1]")
  } else {
    emit("patient", pid, "course_rate_se", NA, "2 visits: no residual df")
  }
  res <- rbind(res, data.frame(id = pid, group = p$group[1], rate = rate))
}
for (g in c("Slow", "Fast")) {
  x <- res$rate[res$group == g]
  emit("summary", g, "mean", mean(x), "mean(rate)")
  emit("summary", g, "sd", sd(x), "sd(rate)")
  emit("summary", g, "median", median(x), "median(rate)")
  emit("summary", g, "q1", unname(quantile(x, 0.25)), "quantile(rate, 0.25)")
  emit("summary", g, "q3", unname(quantile(x, 0.75)), "quantile(rate, 0.75)")
}
a <- res$rate[res$group == "Slow"]; b <- res$rate[res$group == "Fast"]
w <- wilcox.test(a, b)
emit("test", "Slow vs Fast", "mann_whitney:statistic", unname(w$statistic), "wilcox.test(slow, fast)$statistic")
emit("test", "Slow vs Fast", "mann_whitney:p_value", w$p.value, "wilcox.test(slow, fast)$p.value")
tt <- t.test(a, b)
emit("test", "Slow vs Fast", "welch_t:statistic", unname(tt$statistic), "t.test(slow, fast)$statistic")
emit("test", "Slow vs Fast", "welch_t:p_value", tt$p.value, "t.test(slow, fast)$p.value")
emit("test", "Slow vs Fast", "welch_t:estimate", mean(a) - mean(b), "mean(slow) - mean(fast)")
e <- do.call(rbind, out)
write.csv(e, "tests/data/natural-history.expected.csv", row.names = FALSE)
cat(nrow(e), "expected values\n")
