# Reference values for tests/formats.rs, computed independently in R (base R only) from the
# fixtures in tests/data/formats/ (one per real export layout of issue #21).
# Run from the project root:  Rscript tests/r/formats_reference.R
# Writes tests/data/formats/expected.csv: one row per expected value with the R call that gave
# it. R reads each fixture its own way (read.csv, as.Date with the fixture's format, rowSums of
# the item columns) — not by the Rust parser's rules:
#  - ALSFRS-R total = sum of items 1-4, 5 (5a or 5b, whichever is answered), 6-9 and the
#    revised respiratory items 10-12; the original ALSFRS total = items 1-9 + the original
#    item 10 (respiratory).
#  - PRO-ACT deltas are days from enrolment; FVC % predicted is the best of the trials.
#  - time in months = days / (365.25/12); slope = coef(lm(value ~ t))[2] over a patient's visits
#    (the whole course: natural history; visits on or after the first event: post; on or before
#    it: pre, when >= 2 distinct times); rate = -slope.
#  - delta_fs = (best - first score) / months from onset to the first visit.

md <- 365.25 / 12
dir <- "tests/data/formats"
rows <- list()
emit <- function(fixture, id, measure, variable, value, call) {
  rows[[length(rows) + 1]] <<- data.frame(
    fixture = fixture, id = id, measure = measure, variable = variable,
    value = if (is.na(value)) "NA" else sprintf("%.15g", value), r_call = call,
    stringsAsFactors = FALSE)
}
slope <- function(t, y) unname(coef(lm(y ~ t))[2])
co <- function(a, b) ifelse(is.na(a), b, a)  # item 5: 5a or 5b
num <- function(v) paste(sprintf("%.10g", v), collapse = ",")

# The visits of one patient and measure (days on the data's axis, values), and the whole-course
# rate by lm.
course <- function(fixture, id, measure, day, value) {
  ok <- !is.na(value) & !is.na(day)
  day <- day[ok]; value <- value[ok]
  o <- order(day); day <- day[o]; value <- value[o]
  emit(fixture, id, measure, "days", NA, num(day))
  rows[[length(rows)]]$value <<- num(day)
  emit(fixture, id, measure, "values", NA, num(value))
  rows[[length(rows)]]$value <<- num(value)
  t <- day / md
  if (length(unique(t)) >= 2) {
    emit(fixture, id, measure, "course_rate", -slope(t, value),
         sprintf("-coef(lm(y ~ t))[2] with t = c(%s) / md, y = c(%s)", num(day), num(value)))
  }
}

# ---- PRO-ACT: ALSFRS.csv, AlsHistory.csv, Treatment.csv, DeathData.csv, FVC.csv
a <- read.csv(file.path(dir, "proact/ALSFRS.csv"))
h <- read.csv(file.path(dir, "proact/AlsHistory.csv"))
dd <- read.csv(file.path(dir, "proact/DeathData.csv"))
fv <- read.csv(file.path(dir, "proact/FVC.csv"))
q5 <- co(a$Q5a_Cutting_without_Gastrostomy, a$Q5b_Cutting_with_Gastrostomy)
first9 <- a$Q1_Speech + a$Q2_Salivation + a$Q3_Swallowing + a$Q4_Handwriting + q5 +
  a$Q6_Dressing_and_Hygiene + a$Q7_Turning_in_Bed + a$Q8_Walking + a$Q9_Climbing_Stairs
a$r_total <- first9 + a$R_1_Dyspnea + a$R_2_Orthopnea + a$R_3_Respiratory_Insufficiency
a$o_total <- first9 + a$Q10_Respiratory
fv$best <- apply(fv[, c("pct_of_Normal_Trial_1", "pct_of_Normal_Trial_2", "pct_of_Normal_Trial_3")],
                 1, function(x) max(x, na.rm = TRUE))
for (id in unique(a$subject_id)) {
  p <- a[a$subject_id == id, ]
  onset <- h$Onset_Delta[h$subject_id == id]
  for (m in c("alsfrs_r", "alsfrs")) {
    v <- if (m == "alsfrs_r") p$r_total else p$o_total
    if (all(is.na(v))) next
    course("proact", id, m, p$ALSFRS_Delta, v)
    first <- which.min(ifelse(is.na(v), Inf, p$ALSFRS_Delta))
    best <- if (m == "alsfrs_r") 48 else 40
    emit("proact", id, m, "delta_fs", (best - v[first]) / ((p$ALSFRS_Delta[first] - onset) / md),
         sprintf("(%d - %d) / ((%d - %d) / md)", best, v[first], p$ALSFRS_Delta[first], onset))
    # The treatment starts at day 0 (Treatment_Group_Delta): every visit is on or after it.
    post <- p$ALSFRS_Delta >= 0 & !is.na(v)
    emit("proact", id, m, "post_rate", -slope(p$ALSFRS_Delta[post] / md, v[post]),
         sprintf("-coef(lm(y ~ t))[2], visits on or after day 0: t = c(%s) / md, y = c(%s)",
                 num(p$ALSFRS_Delta[post]), num(v[post])))
  }
  f <- fv[fv$subject_id == id, ]
  course("proact", id, "fvc", f$Forced_Vital_Capacity_Delta, f$best)
  died <- dd$Subject_Died[dd$subject_id == id] == "Yes"
  emit("proact", id, "", "death_day", if (died) dd$Death_Days[dd$subject_id == id] else NA,
       "DeathData.csv Death_Days where Subject_Died == \"Yes\"")
  emit("proact", id, "", "onset_day", onset, "AlsHistory.csv Onset_Delta")
}

# ---- PRO-ACT, older extract (R1_Dyspnea …)
a <- read.csv(file.path(dir, "proact-older-ALSFRS.csv"))
a$r_total <- a$Q1_Speech + a$Q2_Salivation + a$Q3_Swallowing + a$Q4_Handwriting +
  co(a$Q5a_Cutting_without_Gastrostomy, a$Q5b_Cutting_with_Gastrostomy) +
  a$Q6_Dressing_and_Hygiene + a$Q7_Turning_in_Bed + a$Q8_Walking + a$Q9_Climbing_Stairs +
  a$R1_Dyspnea + a$R2_Orthopnea + a$R3_Respiratory_Insufficiency
for (id in unique(a$subject_id)) {
  p <- a[a$subject_id == id, ]
  course("proact-older", id, "alsfrs_r", p$ALSFRS_Delta, p$r_total)
}

# ---- Answer ALS: alsfrs1 … alsfrs9 (5a/5b), alsfrsr1-3, alsfrsdt in days
a <- read.csv(file.path(dir, "answer-als.csv"))
a$total <- a$alsfrs1 + a$alsfrs2 + a$alsfrs3 + a$alsfrs4 + co(a$alsfrs5a, a$alsfrs5b) + a$alsfrs6 +
  a$alsfrs7 + a$alsfrs8 + a$alsfrs9 + a$alsfrsr1 + a$alsfrsr2 + a$alsfrsr3
for (id in unique(a$Participant_ID)) {
  p <- a[a$Participant_ID == id, ]
  course("answer-als", id, "alsfrs_r", p$alsfrsdt, p$total)
}

# Items of a data frame's columns whose names match `pattern`, summed.
sum_items <- function(d, cols) Reduce(`+`, d[cols])
days_of <- function(x, fmt) as.numeric(as.Date(x, format = fmt))

# ---- LORIS: ALSFRS_1_Speech … ALSFRS_12_RespiratoryInsufficiency, Date_taken, SymptomOnset_Date
a <- read.csv(file.path(dir, "loris.csv"))
a$total <- sum_items(a, grep("^ALSFRS_[0-9]+_", names(a)))
for (id in unique(a$PSCID)) {
  p <- a[a$PSCID == id, ]
  day <- days_of(p$Date_taken, "%Y-%m-%d")
  course("loris", id, "alsfrs_r", day, p$total)
  onset <- days_of(p$SymptomOnset_Date[1], "%Y-%m-%d")
  emit("loris", id, "alsfrs_r", "delta_fs", (48 - p$total[1]) / ((day[1] - onset) / md),
       sprintf("(48 - %d) / ((%d - %d) / md)", p$total[1], day[1], onset))
}

# ---- ALSFRS_Q1 … Q12 with ALSFRS_Q5a / Q5b
a <- read.csv(file.path(dir, "alsfrs-q.csv"))
a$total <- sum_items(a, paste0("ALSFRS_Q", c(1:4, 6:12))) + co(a$ALSFRS_Q5a, a$ALSFRS_Q5b)
for (id in unique(a$patient_id)) {
  p <- a[a$patient_id == id, ]
  course("alsfrs-q", id, "alsfrs_r", days_of(p$visit_date, "%Y-%m-%d"), p$total)
}

# ---- NEALS: subjid, visdy, p1 … p9 (p10 original), x1r-x3r
a <- read.csv(file.path(dir, "neals.csv"))
a$total <- sum_items(a, c(paste0("p", 1:9), "x1r", "x2r", "x3r"))
for (id in unique(a$subjid)) {
  p <- a[a$subjid == id, ]
  course("neals", id, "alsfrs_r", p$visdy, p$total)
}

# ---- REDCap: record_id, redcap_event_name, alsfrs_date, alsfrs_1 … alsfrs_12 (a long file)
a <- read.csv(file.path(dir, "redcap.csv"))
a$total <- sum_items(a, paste0("alsfrs_", 1:12))
for (id in unique(a$record_id)) {
  p <- a[a$record_id == id, ]
  course("redcap", id, "alsfrs_r", days_of(p$alsfrs_date, "%Y-%m-%d"), p$total)
}

# ---- REDCap label export: "4 - Normal" answers, the leading code is the score
a <- read.csv(file.path(dir, "redcap-labels.csv"), check.names = FALSE)
items <- grep("^[0-9]+\\. ", names(a))
codes <- sapply(a[items], function(x) as.integer(sub(" - .*", "", x)))
a$total <- rowSums(codes)
for (id in unique(a[["Record ID"]])) {
  p <- a[a[["Record ID"]] == id, ]
  course("redcap-labels", id, "alsfrs_r", days_of(p[["Date of assessment"]], "%Y-%m-%d"), p$total)
}

# ---- MOVR: FACPATID, encntdt, alsfrsr, alsfrsdt
a <- read.csv(file.path(dir, "movr.csv"))
for (id in unique(a$FACPATID)) {
  p <- a[a$FACPATID == id, ]
  course("movr", id, "alsfrs_r", days_of(p$encntdt, "%Y-%m-%d"), p$alsfrsr)
}

# ---- Clinic spreadsheet: title row, two-row header, dd-Mon-yyyy, dd/mm/yy onset, codes, notes
a <- read.delim(file.path(dir, "clinic.tsv"), header = FALSE, skip = 4, nrows = 8,
                colClasses = "character")
names(a) <- c("id", "date", "alsfrs_r", "fvc_pct", "fvc_l", "onset")
a$day <- as.numeric(as.Date(a$date, format = "%d-%b-%Y"))
a$r <- suppressWarnings(as.numeric(a$alsfrs_r))            # NR: missing
a$f <- suppressWarnings(as.numeric(a$fvc_pct))
a$f[!is.na(a$f) & (a$f < 0 | a$f > 200)] <- NA             # 999, -99: missing-value codes
for (id in unique(a$id)) {
  p <- a[a$id == id, ]
  course("clinic", id, "alsfrs_r", p$day, p$r)
  course("clinic", id, "fvc", p$day, p$f)
  onset <- as.numeric(as.Date(p$onset[1], format = "%d/%m/%y"))
  first <- which(!is.na(p$r))[1]
  emit("clinic", id, "alsfrs_r", "delta_fs", (48 - p$r[first]) / ((p$day[first] - onset) / md),
       sprintf("(48 - %d) / ((%d - %d) / md), onset as.Date(\"%s\", \"%%d/%%m/%%y\")",
               p$r[first], p$day[first], onset, p$onset[1]))
}

# ---- alsfrs_total holding ALSFRS-R totals (> 40): read as ALSFRS-R
a <- read.csv(file.path(dir, "alsfrs-total-r.csv"))
for (id in unique(a$id)) {
  p <- a[a$id == id, ]
  course("alsfrs-total-r", id, "alsfrs_r", days_of(p$visit_date, "%Y-%m-%d"), p$alsfrs_total)
}

# ---- FVC holding litres: ALSFRS-R only
a <- read.csv(file.path(dir, "fvc-litres.csv"))
for (id in unique(a$id)) {
  p <- a[a$id == id, ]
  course("fvc-litres", id, "alsfrs_r", days_of(p$visit_date, "%Y-%m-%d"), p$alsfrs_r)
}

# ---- m/d/yy dates beside an onset column that only m/d reads
a <- read.csv(file.path(dir, "mdy-onset.csv"))
for (id in unique(a$id)) {
  p <- a[a$id == id, ]
  day <- days_of(p$visit_date, "%m/%d/%y")
  course("mdy-onset", id, "alsfrs_r", day, p$alsfrs_r)
  onset <- days_of(p$onset[1], "%m/%d/%y")
  emit("mdy-onset", id, "alsfrs_r", "delta_fs", (48 - p$alsfrs_r[1]) / ((day[1] - onset) / md),
       sprintf("(48 - %d) / ((%d - %d) / md)", p$alsfrs_r[1], day[1], onset))
}

# Pre and post rates around the first event (lead-in pre-rate: >= 2 visits on or before it).
pre_post <- function(fixture, id, day, y, ev) {
  pre <- day <= ev; post <- day >= ev
  emit(fixture, id, "alsfrs_r", "pre_rate", -slope(day[pre] / md, y[pre]),
       sprintf("-coef(lm(y ~ t))[2], on or before the event: t = c(%s) / md, y = c(%s)",
               num(day[pre]), num(y[pre])))
  emit(fixture, id, "alsfrs_r", "post_rate", -slope(day[post] / md, y[post]),
       sprintf("-coef(lm(y ~ t))[2], on or after the event: t = c(%s) / md, y = c(%s)",
               num(day[post]), num(y[post])))
}

# ---- dd-Mon-yyyy dates, an event (riluzole)
a <- read.csv(file.path(dir, "dd-mon.csv"))
for (id in unique(a$id)) {
  p <- a[a$id == id, ]
  day <- as.numeric(as.Date(p$visit_date, format = "%d-%b-%Y"))
  course("dd-mon", id, "alsfrs_r", day, p$alsfrs_r)
  pre_post("dd-mon", id, day, p$alsfrs_r, day[p$event == "riluzole"])
}

# ---- Endpoints as event rows and columns: death, PAV never split periods
a <- read.csv(file.path(dir, "endpoints.csv"))
for (id in unique(a$id)) {
  p <- a[a$id == id, ]
  day <- days_of(p$visit_date, "%Y-%m-%d")
  ok <- !is.na(p$alsfrs_r)
  course("endpoints", id, "alsfrs_r", day, p$alsfrs_r)
  pre_post("endpoints", id, day[ok], p$alsfrs_r[ok], day[p$event == "riluzole"])
  col <- p$death_date[p$death_date != ""]
  row <- day[p$event == "death"]
  death <- if (length(col)) days_of(col[1], "%Y-%m-%d") else if (length(row)) row[1] else NA
  emit("endpoints", id, "", "death_day", death,
       "the first death date given: the death_date column's, else the death event row's date")
}

out <- do.call(rbind, rows)
write.csv(out, file.path(dir, "expected.csv"), row.names = FALSE)
cat("wrote", nrow(out), "values to", file.path(dir, "expected.csv"), "\n")
