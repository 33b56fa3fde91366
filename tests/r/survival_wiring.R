# Reference values for the survival wiring test (tests/survival.rs): the times and statuses R
# sees for tests/data/survival-wiring.csv, written here by hand from the input (months from the
# first event, `riluzole`; the default time origin), and what R's survival package computes.
#
#   Rscript tests/r/survival_wiring.R            (from the repository root)
#
# writes tests/data/r/survival-wiring.json, and tests/data/r/survival-deaths.json for the deaths
# example (its times computed here from the dates, see below):
#   km       per endpoint: survfit(Surv(time, status) ~ group), per stratum summary(fit[i],
#              censored = TRUE)$time, $n.risk, $n.event, $n.censor, $surv, $lower, $upper and
#              summary(fit)$table[i, c("records", "events", "median", "0.95LCL", "0.95UCL")]
#   tests    per endpoint and pair of groups "X vs Y":
#              survdiff(Surv(time, status) ~ group, subset = group %in% c(X, Y)): chisq, p
#              coxph(Surv(time, status) ~ group, ties = "efron", subset = ...): exp(coef), its
#              95% CI, the Wald test (fit$wald.test, p on 1 df), and coxph's warning if any
# Numbers with sprintf("%.17g"); NA is null.
suppressMessages(library(survival))
one <- function(v) if (is.null(v) || is.na(v) || !is.finite(v)) "null" else sprintf("%.17g", v)
arr <- function(x) paste0("[", paste(vapply(as.list(x), one, ""), collapse = ","), "]")
str <- function(s) if (is.null(s)) "null" else paste0('"', gsub('"', '\\\\"', s), '"')

group <- factor(c("A", "A", "A", "A", "A", "A", "B", "B", "B", "C", "D", "D", "D", "D", "D"),
                levels = c("A", "B", "C", "D"))
#            A1 A2 A3 A4  A5  A6 B1 B2 B3  C1 D1 D2 D3 D4 D5
# death: A1, A2 die at 6 (a tie); A3 last visit 6 (censored at a death time); A4's first event is
# at month 2, death at 12 -> 10; A5 alive, last visit 12; D3 last visit 9 (censored at D4's death).
death_time <- c(6, 6, 6, 10, 12, 3, 5, 8, 12, 4, 2, 6, 9, 9, 3)
death_stat <- c(1, 1, 0, 1,  0,  1, 0, 0, 0,  1, 1, 1, 0, 1, 0)
# death or ventilation: A5 PAV at 11; D3 tracheostomy at 7.
comp_time  <- c(6, 6, 6, 10, 11, 3, 5, 8, 12, 4, 2, 6, 7, 9, 3)
comp_stat  <- c(1, 1, 0, 1,  1,  1, 0, 0, 0,  1, 1, 1, 1, 1, 0)
endpoints <- list(death = list(time = death_time, status = death_stat),
                  death_or_ventilation = list(time = comp_time, status = comp_stat))

reference <- function(endpoints, group, path) {
out <- c()
for (e in names(endpoints)) {
  d <- data.frame(time = endpoints[[e]]$time, status = endpoints[[e]]$status, group = group)
  fit <- survfit(Surv(time, status) ~ group, data = d)
  tab <- summary(fit)$table
  for (i in seq_along(levels(group))) {
    s <- summary(fit[i], censored = TRUE)
    out <- c(out, paste0('{"kind":"km","endpoint":"', e, '","group":"', levels(group)[i],
      '","call":"survfit(Surv(time, status) ~ group)","time":', arr(s$time),
      ',"n_risk":', arr(s$n.risk), ',"n_event":', arr(s$n.event), ',"n_censor":', arr(s$n.censor),
      ',"surv":', arr(s$surv), ',"lower":', arr(s$lower), ',"upper":', arr(s$upper),
      ',"n":', one(tab[i, "records"]), ',"events":', one(tab[i, "events"]),
      ',"median":', one(tab[i, "median"]), ',"median_ci_low":', one(tab[i, "0.95LCL"]),
      ',"median_ci_high":', one(tab[i, "0.95UCL"]), '}'))
  }
  lv <- levels(group)
  for (i in 1:(length(lv) - 1)) for (j in (i + 1):length(lv)) {
    sub <- d[d$group %in% c(lv[i], lv[j]), ]
    sub$group <- droplevels(sub$group)
    pair <- paste(lv[i], "vs", lv[j])
    lr <- survdiff(Surv(time, status) ~ group, data = sub)
    out <- c(out, paste0('{"kind":"log_rank","endpoint":"', e, '","groups":"', pair,
      '","call":"survdiff(Surv(time, status) ~ group, subset = group %in% c(\\"', lv[i],
      '\\", \\"', lv[j], '\\"))","statistic":', one(lr$chisq),
      ',"p_value":', one(pchisq(lr$chisq, 1, lower.tail = FALSE)), '}'))
    warn <- NULL
    cf <- withCallingHandlers(coxph(Surv(time, status) ~ group, data = sub, ties = "efron"),
      warning = function(w) { warn <<- conditionMessage(w); invokeRestart("muffleWarning") })
    ci <- summary(cf)$conf.int
    out <- c(out, paste0('{"kind":"cox","endpoint":"', e, '","groups":"', pair,
      '","call":"coxph(Surv(time, status) ~ group, ties = \\"efron\\", subset = group %in% c(\\"',
      lv[i], '\\", \\"', lv[j], '\\"))","hazard_ratio":', one(ci[1, "exp(coef)"]),
      ',"hr_ci_low":', one(ci[1, "lower .95"]), ',"hr_ci_high":', one(ci[1, "upper .95"]),
      ',"statistic":', one(cf$wald.test), ',"p_value":', one(pchisq(cf$wald.test, 1, lower.tail = FALSE)),
      ',"warning":', str(warn), '}'))
  }
}
writeLines(paste0("[\n", paste(out, collapse = ",\n"), "\n]"), path)
}
reference(endpoints, group, "tests/data/r/survival-wiring.json")

# The deaths example (tests/data/design-deaths.csv, `synth --design deaths`): R computes the
# times from the dates itself. Origin: the patient's `first dose` row (the first event); a month
# is 365.25 / 12 days; death from the death_date column; the composite's event the earliest of
# death, tracheostomy and PAV event rows; otherwise censored at the last visit.
d <- read.csv("tests/data/design-deaths.csv", comment.char = "#", stringsAsFactors = FALSE)
d$day <- as.numeric(as.Date(d$visit_date))
ids <- unique(d$patient)
md <- 365.25 / 12
per <- lapply(ids, function(id) {
  r <- d[d$patient == id, ]
  origin <- r$day[r$event == "first dose"][1]
  death <- as.numeric(as.Date(r$death_date[r$death_date != ""][1]))
  vent <- r$day[r$event %in% c("tracheostomy", "PAV")]
  last <- max(r$day[!is.na(r$alsfrs_r)])
  comp <- suppressWarnings(min(c(death, vent), na.rm = TRUE)) # Inf: none
  data.frame(group = r$arm[1],
             death_time = (if (is.na(death)) last else death) - origin,
             death_stat = as.numeric(!is.na(death)),
             comp_time = (if (is.finite(comp)) comp else last) - origin,
             comp_stat = as.numeric(is.finite(comp)))
})
p <- do.call(rbind, per)
dgroup <- factor(p$group, levels = unique(p$group))
reference(list(death = list(time = p$death_time / md, status = p$death_stat),
               death_or_ventilation = list(time = p$comp_time / md, status = p$comp_stat)),
          dgroup, "tests/data/r/survival-deaths.json")
