# Rank tests on slopes that are equal in exact arithmetic but not in floating point.
# Run from the project root:  Rscript tests/r/ties_reference.R
# Writes tests/data/ties.csv (the data, ISO dates, ALSFRS-R) and tests/data/r/ties_tests.csv (the
# expected test results with the R call of each; read by tests/ties.rs).
#
# Each patient follows one of four score patterns on one visit schedule: 4 lead-in visits on days
# 0, 30, 61, 92 from its start, an injection delta days after the last of them, then 4 visits on
# days 0, 30, 61, 92 from epsilon days after the injection. Patients of one pattern have the same
# pre- and post-event slopes in exact arithmetic (least squares does not depend on where the
# times start), but their times in months from the injection, (day - injection) / (365.25/12),
# are different floating-point numbers, so least squares in floating point gives slopes a few
# units in the last place apart (the Rust test checks that it does). Pattern P1 has the same
# slope before and after (a zero difference).
#
# The reference slopes here are computed exactly: with integer days and scores,
# slope per day = (n*Sxy - Sx*Sy) / (n*Sxx - Sx^2) in integers (exact in doubles), the same
# double for every patient of a pattern; per month = that * 365.25/12. The tests then see exact
# ties, as a person reading the data would.

md <- 365.25 / 12
sched <- c(0, 30, 61, 92)
patterns <- list(
  P1 = list(pre = c(40, 39, 38, 37), post = c(36, 35, 34, 33)),
  P2 = list(pre = c(42, 40, 39, 37), post = c(36, 36, 35, 34)),
  P3 = list(pre = c(38, 37, 35, 34), post = c(33, 33, 32, 32)),
  P4 = list(pre = c(44, 43, 43, 42), post = c(41, 40, 38, 37))
)
# (group, pattern, start day from 2015-01-01, delta, epsilon)
spec <- data.frame(
  group = c(rep("A", 8), rep("B", 8)),
  pattern = c("P1", "P1", "P2", "P2", "P3", "P4", "P1", "P2",
              "P4", "P3", "P3", "P4", "P4", "P1", "P3", "P4"),
  start = c(0, 17, 40, 73, 101, 130, 166, 201, 9, 33, 58, 87, 115, 144, 180, 222),
  delta = c(3, 11, 5, 17, 7, 13, 23, 2, 19, 6, 29, 4, 14, 8, 21, 10),
  eps = c(1, 9, 4, 12, 15, 6, 2, 27, 5, 18, 3, 11, 7, 25, 13, 20),
  stringsAsFactors = FALSE)
origin <- as.Date("2015-01-01")

exact_slope <- function(d, y) {
  n <- length(d)
  (n * sum(d * y) - sum(d) * sum(y)) / (n * sum(d * d) - sum(d)^2) * md
}

rows <- list(); res <- list()
for (i in seq_len(nrow(spec))) {
  s <- spec[i, ]; p <- patterns[[s$pattern]]
  id <- sprintf("T%02d", i)
  pre_days <- s$start + sched
  inj <- pre_days[4] + s$delta
  post_days <- inj + s$eps + sched
  for (k in 1:4) rows[[length(rows) + 1]] <- data.frame(patient = id, group = s$group,
    date = format(origin + pre_days[k]), alsfrs_r = p$pre[k], event = "")
  rows[[length(rows) + 1]] <- data.frame(patient = id, group = s$group,
    date = format(origin + inj), alsfrs_r = NA, event = "injection")
  for (k in 1:4) rows[[length(rows) + 1]] <- data.frame(patient = id, group = s$group,
    date = format(origin + post_days[k]), alsfrs_r = p$post[k], event = "")
  pre <- -exact_slope(pre_days, p$pre)
  post <- -exact_slope(post_days, p$post)
  len <- round((post_days[4] - inj) / md, 6)
  res[[i]] <- data.frame(id = id, group = s$group, pre = pre, post = post,
    imp = (pre - post) / abs(pre) * 100, len = len)
}
d <- do.call(rbind, rows)
cat("# SYNTHETIC DATA written by tests/r/ties_reference.R: slopes equal in exact arithmetic, not in floating point\n",
    file = "tests/data/ties.csv")
suppressWarnings(write.table(d, "tests/data/ties.csv", sep = ",", row.names = FALSE, quote = FALSE,
  na = "", append = TRUE))
r <- do.call(rbind, res)

out <- list()
emit <- function(kind, group, variable, quantity, value, call) {
  out[[length(out) + 1]] <<- data.frame(kind = kind, group = group, variable = variable,
    quantity = quantity, value = if (is.character(value)) value else sprintf("%.15g", value),
    r_call = call)
}
for (g in c("A", "B")) {
  x <- r[r$group == g, ]
  w <- suppressWarnings(wilcox.test(x$pre, x$post, paired = TRUE))
  call <- sprintf("wilcox.test(pre, post, paired = TRUE) with pre, post the exact rates of group %s", g)
  emit("wilcoxon_signed_rank", g, "pre_vs_post", "statistic", w$statistic, call)
  emit("wilcoxon_signed_rank", g, "pre_vs_post", "p_value", w$p.value, call)
  emit("wilcoxon_signed_rank", g, "pre_vs_post", "method", w$method, call)
  ct <- suppressWarnings(cor.test(x$imp, x$len, method = "spearman"))
  call <- sprintf("cor.test(imp, len, method = \"spearman\") over group %s's exact %% improvements and interval lengths (months, 6 decimals)", g)
  emit("spearman", g, "improvement_vs_interval", "statistic", ct$estimate, call)
  emit("spearman", g, "improvement_vs_interval", "p_value", ct$p.value, call)
}
a <- r[r$group == "A", ]; b <- r[r$group == "B", ]
for (v in c("post_rate", "change")) {
  xa <- if (v == "post_rate") a$post else a$pre - a$post
  xb <- if (v == "post_rate") b$post else b$pre - b$post
  w <- suppressWarnings(wilcox.test(xa, xb))
  call <- sprintf("wilcox.test(%s_A, %s_B) over the exact rates", v, v)
  emit("mann_whitney", "A vs B", v, "statistic", w$statistic, call)
  emit("mann_whitney", "A vs B", v, "p_value", w$p.value, call)
  emit("mann_whitney", "A vs B", v, "method", w$method, call)
}
write.csv(do.call(rbind, out), "tests/data/r/ties_tests.csv", row.names = FALSE)
print(do.call(rbind, out)[, 1:5])
