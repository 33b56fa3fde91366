# Reference values for tests/designs.rs, computed independently in R (4.2, base stats only).
# Run from the project root:  Rscript tests/r/designs_reference.R
# Writes tests/data/design-<name>.expected.csv with one row per expected value and the R call
# that produced it (the Rust test prints that call when a value disagrees).
#
# Rules re-implemented here from the issue text (not from the Rust code):
#  - time in months = days / (365.25/12); events split visits; a visit on an event's date belongs
#    to both neighbouring periods; slope per period by lm(score ~ t) with >= 2 distinct times.
#  - rate = -slope (ALSFRS-R, ALSFRS, FVC), +slope (Appel).
#  - pre = visits on or before the first event; post = visits on or after it.
#  - pre source auto: lead-in lm when >= 2 distinct dates, else (best - score at the last pre visit)
#    / months from onset to that visit.
#  - % improvement = (pre - post)/|pre| * 100; per period after the first likewise.
#  - delta_fs = (best - first score) / months from onset to the first visit.

md <- 365.25 / 12
out_rows <- list()
emit <- function(measure, key, id, variable, value, call) {
  out_rows[[length(out_rows) + 1]] <<- data.frame(
    measure = measure, key = key, id = id, variable = variable,
    value = if (is.na(value)) "NA" else sprintf("%.15g", value), r_call = call,
    stringsAsFactors = FALSE)
}

slope <- function(t, y) {
  if (length(unique(t)) < 2) return(NA_real_)
  unname(coef(lm(y ~ t))[2])
}

best <- c(alsfrs_r = 48, alsfrs = 40, fvc = 100, aals = 30)
sign_of <- c(alsfrs_r = -1, alsfrs = -1, fvc = -1, aals = 1)

analyse <- function(name, d, measures) {
  out_rows <<- list()
  ids <- unique(d$id)
  per <- list()
  for (m in measures) {
    res <- data.frame()
    for (pid in ids) {
      p <- d[d$id == pid, ]
      obs <- p[!is.na(p[[m]]), ]
      obs <- obs[order(obs$day), ]
      if (nrow(obs) == 0) next
      ev <- sort(unique(p$day[!is.na(p$event) & p$event != ""]))
      grp <- p$group[1]
      onset <- suppressWarnings(min(p$onset, na.rm = TRUE))
      if (!is.finite(onset)) onset <- NA
      t <- obs$day / md
      y <- obs[[m]]
      if (m %in% c("alsfrs_r", "alsfrs") && !is.na(onset)) {
        dfs <- (best[[m]] - y[1]) / ((obs$day[1] - onset) / md)
        emit(m, "patient", pid, "delta_fs", dfs,
             sprintf("(%g - %g) / ((%g - %g) / md)", best[[m]], y[1], obs$day[1], onset))
      }
      pre <- NA; post <- NA; imp <- NA
      if (length(ev) > 0) {
        e1 <- ev[1]
        pre_idx <- obs$day <= e1
        s_pre <- slope(t[pre_idx], y[pre_idx])
        if (!is.na(s_pre)) {
          pre <- sign_of[[m]] * s_pre
          call <- sprintf("%d * coef(lm(y ~ t))[2] with t = c(%s), y = c(%s)", sign_of[[m]],
                          paste(sprintf("%.10g", t[pre_idx]), collapse = ","), paste(y[pre_idx], collapse = ","))
        } else if (!is.na(onset) && any(pre_idx)) {
          k <- max(which(pre_idx))
          loss <- if (m == "aals") y[k] - best[[m]] else best[[m]] - y[k]
          pre <- loss / ((obs$day[k] - onset) / md)
          call <- sprintf("(%g - %g) / ((%g - %g) / md)", best[[m]], y[k], obs$day[k], onset)
        }
        if (!is.na(pre)) emit(m, "patient", pid, "pre_rate", pre, call)
        post_idx <- obs$day >= e1
        s_post <- slope(t[post_idx], y[post_idx])
        if (!is.na(s_post)) {
          post <- sign_of[[m]] * s_post
          emit(m, "patient", pid, "post_rate", post,
               sprintf("%d * coef(lm(y ~ t))[2] with t = c(%s), y = c(%s)", sign_of[[m]],
                       paste(sprintf("%.10g", t[post_idx]), collapse = ","), paste(y[post_idx], collapse = ",")))
        }
        if (!is.na(pre) && !is.na(post) && abs(pre) > 1e-9) {
          imp <- (pre - post) / abs(pre) * 100
          emit(m, "patient", pid, "improvement_pct", imp, "(pre - post) / abs(pre) * 100")
        }
        # Periods after the first: [e_i, e_{i+1}] (last: [e_k, last visit]).
        for (i in seq_along(ev)) {
          lo <- ev[i]
          hi <- if (i < length(ev)) ev[i + 1] else Inf
          idx <- obs$day >= lo & obs$day <= hi
          s <- slope(t[idx], y[idx])
          len <- ((if (is.finite(hi)) hi else max(obs$day[obs$day >= lo], lo)) - lo) / md
          rate <- if (is.na(s)) NA else sign_of[[m]] * s
          if (!is.na(rate)) emit(m, "period", pid, sprintf("period%d_rate", i), rate, "sign * coef(lm(y ~ t))[2] over [e_i, e_i+1]")
          pimp <- if (!is.na(rate) && !is.na(pre) && abs(pre) > 1e-9) (pre - rate) / abs(pre) * 100 else NA
          if (!is.na(pimp)) emit(m, "period", pid, sprintf("period%d_improvement_pct", i), pimp, "(pre - rate_i) / abs(pre) * 100")
          res_len <- data.frame(id = pid, group = grp, imp = pimp, len = len)
          per[[length(per) + 1]] <- cbind(res_len, measure = m)
        }
      }
      res <- rbind(res, data.frame(id = pid, group = grp, pre = pre, post = post, imp = imp))
    }
    groups <- unique(d$group)
    for (g in groups) {
      r <- res[res$group == g & !is.na(res$pre) & !is.na(res$post), ]
      if (nrow(r) >= 2) {
        w <- suppressWarnings(wilcox.test(r$pre, r$post, paired = TRUE))
        emit(m, "test", g, "wilcoxon_signed_rank:statistic", unname(w$statistic), "wilcox.test(pre, post, paired = TRUE)$statistic")
        emit(m, "test", g, "wilcoxon_signed_rank:p_value", w$p.value, "wilcox.test(pre, post, paired = TRUE)$p.value")
        tt <- t.test(r$pre, r$post, paired = TRUE)
        emit(m, "test", g, "paired_t:statistic", unname(tt$statistic), "t.test(pre, post, paired = TRUE)$statistic")
        emit(m, "test", g, "paired_t:p_value", tt$p.value, "t.test(pre, post, paired = TRUE)$p.value")
      }
      # Improvement floor (settings.improvement_floor, 0.1 units/month): a % improvement whose
      # pre-rate is below it is unreliable and classed neither way.
      rg <- res[res$group == g, ]
      ok <- !is.na(rg$imp) & abs(rg$pre) >= 0.1
      n_resp <- sum(ok & rg$imp > 25)
      emit(m, "responders", g, "responders", n_resp, "sum(ok & imp > 25), ok = !is.na(imp) & abs(pre) >= 0.1")
      emit(m, "responders", g, "n_evaluable", sum(ok), "sum(!is.na(imp) & abs(pre) >= 0.1)")
      pp <- do.call(rbind, per)
      if (!is.null(pp)) {
        pp <- pp[pp$measure == m & pp$group == g & !is.na(pp$imp) & pp$len > 0, ]
        if (nrow(pp) >= 3 && length(unique(pp$imp)) > 1 && length(unique(pp$len)) > 1) {
          ct <- suppressWarnings(cor.test(pp$imp, pp$len, method = "spearman"))
          emit(m, "test", g, "spearman:statistic", unname(ct$estimate), "cor.test(imp, len, method = \"spearman\")$estimate")
          emit(m, "test", g, "spearman:p_value", ct$p.value, "cor.test(imp, len, method = \"spearman\")$p.value")
        }
      }
    }
    if (length(groups) >= 2) {
      for (i in 1:(length(groups) - 1)) for (j in (i + 1):length(groups)) {
        a <- res[res$group == groups[i], ]; b <- res[res$group == groups[j], ]
        gname <- paste(groups[i], "vs", groups[j])
        for (v in c("post", "change")) {
          x <- if (v == "post") a$post else a$pre - a$post
          y <- if (v == "post") b$post else b$pre - b$post
          x <- x[!is.na(x)]; y <- y[!is.na(y)]
          var <- if (v == "post") "post_rate" else "change"
          w <- suppressWarnings(wilcox.test(x, y))
          emit(m, "test", gname, sprintf("mann_whitney:%s:statistic", var), unname(w$statistic), sprintf("wilcox.test(%s_a, %s_b)$statistic", v, v))
          emit(m, "test", gname, sprintf("mann_whitney:%s:p_value", var), w$p.value, sprintf("wilcox.test(%s_a, %s_b)$p.value", v, v))
          tt <- t.test(x, y)
          emit(m, "test", gname, sprintf("welch_t:%s:statistic", var), unname(tt$statistic), sprintf("t.test(%s_a, %s_b)$statistic", v, v))
          emit(m, "test", gname, sprintf("welch_t:%s:p_value", var), tt$p.value, sprintf("t.test(%s_a, %s_b)$p.value", v, v))
        }
      }
    }
  }
  out <- do.call(rbind, out_rows)
  write.csv(out, sprintf("tests/data/design-%s.expected.csv", name), row.names = FALSE)
  cat(name, ":", nrow(out), "expected values\n")
}

read_design <- function(file) read.csv(file, comment.char = "#", stringsAsFactors = FALSE, na.strings = c("", "NA"))

# lead-in: ISO dates
d <- read_design("tests/data/design-lead-in.csv")
d$id <- d$patient; d$day <- as.numeric(as.Date(d$visit_date)); d$onset <- as.numeric(as.Date(d$onset))
analyse("lead-in", d, c("alsfrs_r", "fvc", "aals"))

# controls: dd/mm/yyyy visit dates, ISO onset
d <- read_design("tests/data/design-controls.csv")
d$id <- d$patient; d$day <- as.numeric(as.Date(d$visit_date, format = "%d/%m/%Y")); d$onset <- as.numeric(as.Date(d$onset))
analyse("controls", d, c("alsfrs_r", "fvc"))

# repeated: ISO dates, onset dates, one group
d <- read_design("tests/data/design-repeated.csv")
d$id <- d$patient; d$group <- "all"; d$day <- as.numeric(as.Date(d$visit_date)); d$onset <- as.numeric(as.Date(d$onset))
analyse("repeated", d, c("alsfrs_r", "fvc"))

# two-arm: time in months, onset as months offset
d <- read_design("tests/data/design-two-arm.csv")
d$id <- d$subject; d$group <- d$arm; d$day <- d$month * md; d$onset <- d$onset * md
analyse("two-arm", d, c("alsfrs", "fvc"))
