# Reference values for helpers.inference.stratified (the verdict's primary test), computed with R (coin, stats).
#
# Run from the repository root:   Rscript tests/reference/verdict.R [output.json]
# Writes tests/reference/verdict_r.json: one entry per value with the exact R command that produced it
# (each command is evaluated from its own string). The data below are typed identically in
# tests/test_inference_stratified.py.

suppressPackageStartupMessages(library(coin))

args <- commandArgs(trailingOnly = TRUE)
out_file <- if (length(args) >= 1) args[1] else "tests/reference/verdict_r.json"
entries <- list()
ref <- function(name, command) {
  value <- eval(parse(text = command), envir = globalenv())
  entries[[length(entries) + 1]] <<- list(name = name, command = command, value = as.numeric(value))
}

# small ordinal case: 16 units, 3 strata, scores 0..3
d1 <- data.frame(y = c(0, 1, 2, 3, 1, 2, 2, 3, 0, 1, 1, 2, 3, 3, 2, 1),
                 pilot = factor(c(1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0), levels = c(1, 0)),
                 s = factor(c(1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3)))
ref("strat_small_p_exact", "pvalue(independence_test(y ~ pilot | s, data = d1, teststat = 'scalar', distribution = exact()))")
ref("strat_small_z", "statistic(independence_test(y ~ pilot | s, data = d1, teststat = 'scalar'))")

# binary outcome (reached the cut), 4 strata, one stratum with pilots only (no comparison) -- 30 units
d2 <- data.frame(
  x = c(1, 0, 0, 1, 0, 0, 1,   1, 1, 0, 1, 1, 0, 0, 1,   1, 1, 1, 0, 1, 1, 0, 1, 1,   0, 1, 0, 0, 1, 1),
  pilot = factor(c(1, 1, 0, 0, 0, 0, 0,   1, 1, 1, 0, 0, 0, 0, 0,   1, 1, 0, 0, 0, 0, 0, 0, 0,   1, 1, 1, 1, 1, 1),
                 levels = c(1, 0)),
  s = factor(c(rep(1, 7), rep(2, 8), rep(3, 9), rep(4, 6))))
d2c <- droplevels(subset(d2, s != 4))   # stratum 4 holds pilots only
ref("strat_binary_p_exact", "pvalue(independence_test(x ~ pilot | s, data = d2c, teststat = 'scalar', distribution = exact()))")
ref("strat_binary_z", "statistic(independence_test(x ~ pilot | s, data = d2c, teststat = 'scalar'))")
ref("mh_or", "unname(mantelhaen.test(table(factor(d2c$pilot, levels = c(1, 0)), factor(d2c$x, levels = c(1, 0)), d2c$s))$estimate)")
ref("mh_or_ci", "mantelhaen.test(table(factor(d2c$pilot, levels = c(1, 0)), factor(d2c$x, levels = c(1, 0)), d2c$s))$conf.int")

# one stratum: the exact two-sample test of a binary outcome (coin's exact, two-sided by |T - E|)
ref("one_stratum_p_exact", "pvalue(independence_test(x ~ pilot, data = d2c, teststat = 'scalar', distribution = exact()))")

# Trang Dinh (seed 004): HTTNV or better 55/59 in 2018 vs 61/62 in 2017, two years as independent samples
ref("td_good_or_better_fisher_p", "fisher.test(matrix(c(55, 4, 61, 1), 2))$p.value")

# separation: in every stratum no non-pilot beats a pilot (MH odds ratio infinite); exact conditional OR
# strata (pilot yes, other yes, pilot no, other no): (3,0,0,2), (2,0,1,3), (1,0,2,2) -- typed in
# tests/test_inference_verdict.py as units
ref("separated_exact_p", "mantelhaen.test(array(c(3, 0, 0, 2, 2, 0, 1, 3, 1, 0, 2, 2), c(2, 2, 3)), exact = TRUE)$p.value")
ref("separated_exact_ci_low", "mantelhaen.test(array(c(3, 0, 0, 2, 2, 0, 1, 3, 1, 0, 2, 2), c(2, 2, 3)), exact = TRUE)$conf.int[1]")

fmt <- function(v) paste0("[", paste(formatC(v, digits = 17, format = "g"), collapse = ", "), "]")
esc <- function(s) gsub('"', '\\\\"', s)
lines <- c("{", sprintf('  "_generated_by": {"command": "Rscript tests/reference/verdict.R", "value": [%s]},', R.version$minor))
for (i in seq_along(entries)) {
  e <- entries[[i]]
  sep <- if (i < length(entries)) "," else ""
  lines <- c(lines, sprintf('  "%s": {"command": "%s", "value": %s}%s', e$name, esc(e$command), fmt(e$value), sep))
}
lines <- c(lines, "}")
writeLines(lines, out_file)
