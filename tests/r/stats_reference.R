# Reference values for src/stats (als-progression). Run: Rscript tests/r/stats_reference.R
# Every Rust test in src/stats quotes one of the calls below and the value printed here.
# Generated data use integer formulas that Rust reproduces bit-for-bit.
f <- function(v) paste(sprintf("%.15g", v), collapse = " ")
show <- function(call) {
  r <- eval(parse(text = call))
  cat(call, "\n  -> statistic =", f(r$statistic), " p =", f(r$p.value),
      if (!is.null(r$parameter)) paste(" df =", f(r$parameter)) else "",
      if (!is.null(r$estimate)) paste(" estimate =", f(r$estimate)) else "",
      " method =", r$method, "\n")
}
showlm <- function(call) {
  fit <- eval(parse(text = call))
  s <- summary(fit)
  cat(call, "\n  -> coef =", f(coef(fit)),
      if (fit$df.residual > 0) paste(" slope_se =", f(coef(s)[2, 2]), " sigma =", f(s$sigma),
        " confint =", f(confint(fit)[2, ])) else " (df = 0)", "\n")
}
cat("R version:", R.version.string, "\n")

## data
sleep1 <- c(0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0)
sleep2 <- c(1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4)
g49 <- ((1:49) * 17) %% 53              # Rust: ((i * 17) % 53) as f64, i = 1..=49
g60 <- ((1:60) * 17) %% 61              # Rust: ((i * 17) % 61) as f64, i = 1..=60
a60 <- ((1:60) * 37) %% 101 / 10        # Rust: ((i * 37) % 101) as f64 / 10.0
b45 <- ((1:45) * 53) %% 103 / 10 + 0.55 # Rust: ((j * 53) % 103) as f64 / 10.0 + 0.55
x49 <- ((1:49) * 7) %% 101              # Rust: ((i * 7) % 101) as f64
y49 <- ((1:49) * 11) %% 97 + 0.5        # Rust: ((j * 11) % 97) as f64 + 0.5
s30x <- ((1:30) * 7) %% 31              # Rust: ((i * 7) % 31) as f64
s30y <- ((1:30) * 11) %% 31 + (1:30) / 100  # Rust: ((i * 11) % 31) as f64 + i as f64 / 100.0
big_y <- ((1:1300) * 7) %% 1301         # Rust: ((i * 7) % 1301) as f64
t40x <- (1:40) + (((1:40) * 7) %% 11) / 100  # Rust: i as f64 + ((i * 7) % 11) as f64 / 100.0
t40y <- (1:40) - 1

cat("\n## wilcoxon_signed_rank\n")
show("wilcox.test(c(1.83,0.50,1.62), c(0.878,0.647,0.598), paired = TRUE)")
show("wilcox.test(c(1.83,0.50,1.62,2.48,1.68,1.88,1.55,3.06,1.30), c(0.878,0.647,0.598,2.05,1.06,1.29,1.06,3.14,1.29), paired = TRUE)")
show("wilcox.test(c(1,2,3,4,5,6), c(0,0,1,2,3,3), paired = TRUE)")
show("wilcox.test(c(5,3,8,6,7,4,9,2), c(5,1,6,6,4,5,3,1), paired = TRUE)")
show("wilcox.test(g49, rep(26.3, 49), paired = TRUE)")
show("wilcox.test(g60, rep(30.3, 60), paired = TRUE)")
show("wilcox.test(sleep1, sleep2, paired = TRUE)")

cat("\n## mann_whitney\n")
show("wilcox.test(c(0.80,0.83,1.89,1.04,1.45,1.38,1.91,1.64,0.73,1.46), c(1.15,0.88,0.90,0.74,1.21))")
show("wilcox.test(c(1,2,2,3,4,5), c(2,3,3,6,7,8,9))")
show("wilcox.test(a60, b45)")
show("wilcox.test(x49, y49)")
show("wilcox.test(3.5, c(1,2,3,4,5))")
show("wilcox.test(1:10, 11:20)")

cat("\n## paired_t\n")
show("t.test(sleep1, sleep2, paired = TRUE)")
show("t.test(20000 + c(12.5, 30.1, 44.2, 58.0, 71.9), 20000 + c(10.0, 29.0, 40.5, 57.5, 70.0), paired = TRUE)")
show("t.test(t40x, t40y, paired = TRUE)")

cat("\n## welch_t\n")
show("t.test(sleep1, sleep2)")
show("t.test(c(5.1,4.9,6.2,5.8,6.0,5.5,5.3), c(6.5,6.3,7.1,6.8,7.4))")
show("t.test(a60, b45 + 3)")
show("t.test(c(1,2,3), c(2,2,2))")

cat("\n## spearman\n")
show("cor.test(c(1,2,3,4,5), c(2,1,4,3,5), method = 'spearman')")
show("cor.test(c(1,2,3,4,5), c(5,4,3,2,1), method = 'spearman')")
show("cor.test(c(4.2,1.1,3.3,8.5,2.0,6.6,5.9,7.1,9.4), c(3.0,1.5,2.2,7.7,4.1,5.0,8.8,6.3,9.9), method = 'spearman')")
show("cor.test(1:10, c(3,1,4,2,6,5,8,7,10,9), method = 'spearman')")
show("cor.test(s30x, s30y, method = 'spearman')")
show("cor.test(1:12, 1:12, method = 'spearman')")
show("cor.test(c(1,2,2,3,4,5,5,6), c(2,1,3,3,5,4,6,7), method = 'spearman')")
show("cor.test(c(1,1,2,3), c(1,1,2,3), method = 'spearman')")
show("cor.test(1:1300, big_y, method = 'spearman')")
show("cor.test(c(1,2,3), c(1,3,2), method = 'spearman')")

cat("\n## kruskal_wallis\n")
show("kruskal.test(list(c(2.9, 3.0, 2.5, 2.6, 3.2), c(3.8, 2.7, 4.0, 2.4), c(2.8, 3.4, 3.7, 2.2, 2.0)))")
show("kruskal.test(list(c(1,2,2,3,4,5), c(2,3,3,6,7,8,9)))")
kx <- (1:200) %% 37 + (0:199) %/% 20 * 3; kg <- (0:199) %/% 20  # Rust: (i % 37) + g * 3, g = (i - 1) / 20
show("kruskal.test(kx, kg)")
show('kruskal.test(c(1, 2, 3, 4), factor(c("a", "a", "b", "b"), levels = c("a", "b", "c")))')
show("kruskal.test(list(a60, b45))")

cat("\n## ols\n")
showlm("lm(c(2.1,3.9,6.2,7.8,10.1) ~ c(1,2,3,4,5))")
showlm("lm(c(40,39,39,37,36,36,34) ~ I(19000 + c(0,30,61,90,122,151,180)))")
showlm("lm(c(2,8) ~ c(1,3))")
showlm("lm(b45 ~ a60[1:45])")

cat("\n## descriptive\n")
v <- c(2, 4, 4, 5, 7, 9, 10)
cat("mean(v) ->", f(mean(v)), " sd(v) ->", f(sd(v)), " quantile(v, c(.25,.5,.75)) ->", f(quantile(v, c(.25, .5, .75))), "\n")
w <- c(3.1, -2.5, 8.25, 0.4, 12.0, 5.5)
cat("w <- c(3.1,-2.5,8.25,0.4,12.0,5.5): mean ->", f(mean(w)), " sd ->", f(sd(w)),
    " quantile(w, c(.25,.5,.75,.1,.9)) ->", f(quantile(w, c(.25, .5, .75, .1, .9))), "\n")
d <- 19000 + c(0.5, 30.25, 61, 90.75, 122)
cat("d <- 19000 + c(0.5,30.25,61,90.75,122): mean ->", f(mean(d)), " sd ->", f(sd(d)), "\n")
