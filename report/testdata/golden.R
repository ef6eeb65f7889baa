#!/usr/bin/env Rscript
# Reference values for package report, computed with R's survey package
# (Lumley) exactly as docs/method.md §4 prescribes:
#   svydesign(ids=~psu, strata=~stratum, weights=~w, nest=TRUE, data=valid)
#   svyby(~y, ~group, des, svymean, covmat=TRUE); svycontrast(b, W); degf(des)
#   options(survey.lonely.psu = "adjust")
# Domains (dimensions, items, urbanicities, townships, schools) follow svyby's
# domain approach: the whole design is kept and the domain's indicator enters
# the by-variable.
#
# Usage: Rscript golden.R [outdir]   (run in report/testdata; writes
#   design_golden.csv, design_weights.csv, replication_golden.csv to outdir)

suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "adjust", warn = 1)
args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) > 0) args[1] else "."
bar <- 0.85

groups <- c("student", "parent", "teacher", "principal", "deputy", "cppcc", "public")
Wdefault <- c(student = 1/12, parent = 1/2, teacher = 1/12, principal = 1/12,
              deputy = 1/12, cppcc = 1/12, public = 1/12)
fmt <- function(x) ifelse(is.na(x) | !is.finite(x), "NA", sprintf("%.17g", x))

# One estimand: variable v (NA = not rated) over domain inD, groups combined
# with the group weights W normalised over the groups present.
est <- function(data, v, inD, W) {
  inD <- inD & !is.na(v)
  if (!any(inD)) return(NULL)
  present <- intersect(groups, unique(data$group[inD]))
  Wp <- W[present]
  if (sum(Wp) <= 0) return(NULL)
  Wp <- Wp / sum(Wp)
  keep <- present[Wp > 0]
  data$v <- ifelse(inD, v, 0)
  data$by <- ifelse(inD, data$group, "_out")
  des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, data = data)
  b <- svyby(~v, ~by, des, svymean, covmat = TRUE, deff = TRUE)
  cvec <- setNames(rep(0, length(coef(b))), names(coef(b)))
  cvec[present] <- Wp
  ct <- svycontrast(b, cvec)
  rate <- as.numeric(coef(ct))
  se <- as.numeric(SE(ct))
  df <- degf(des)
  tq <- qt(0.975, df)
  # Design effect as svymean(deff=TRUE) defines it, on the design reweighted
  # with u_i = W_g w_i / S_g scaled to the domain's population N = sum S_g.
  data$inK <- inD & data$group %in% keep
  S <- tapply(data$w[data$inK], data$group[data$inK], sum)
  N <- sum(S)
  n <- sum(data$inK)
  data$u <- data$w
  k <- which(data$inK)
  data$u[k] <- Wp[data$group[k]] * data$w[k] / S[data$group[k]] * N
  desU <- svydesign(ids = ~psu, strata = ~stratum, weights = ~u, nest = TRUE, data = data)
  dom <- subset(desU, inK)
  deff <- NA
  if (n >= 2 && N > n) {
    vsrs <- as.numeric(coef(svyvar(~v, dom))) * (N - n) / (N * n)
    deff <- se^2 / vsrs
    m <- suppressWarnings(svymean(~v, dom, deff = TRUE))
    if (as.numeric(SE(m)) > 0) stopifnot(isTRUE(all.equal(as.numeric(deff(m)), as.numeric(SE(m))^2 / vsrs)))
    if (length(keep) == 1 && se > 0) {
      if (!isTRUE(all.equal(as.numeric(deff(b)[b$by == keep]), deff))) cat("DEFF", keep, deff(b)[keep], deff, "\n")
    }
  }
  pass <- if (se > 0) pt((rate - bar) / se, df) else as.numeric(rate >= bar)
  data.frame(n = n, rate = rate, se = se, df = df,
             ci_low = max(0, rate - tq * se), ci_high = min(1, rate + tq * se),
             deff = deff, pass_probability = pass, population = N)
}

rows <- list()
put <- function(key, r, extra = c(NA, NA, NA)) {
  if (is.null(r)) return()
  r$key <- key
  r$unweighted_rate <- extra[1]
  r$wilson_low <- extra[2]
  r$wilson_high <- extra[3]
  rows[[length(rows) + 1]] <<- r
}
write_rows <- function(file) {
  out <- do.call(rbind, rows)
  cols <- c("n", "rate", "se", "df", "ci_low", "ci_high", "deff", "pass_probability",
            "population", "unweighted_rate", "wilson_low", "wilson_high")
  for (c in cols) out[[c]] <- fmt(out[[c]])
  write.csv(out[, c("key", cols)], file.path(outdir, file), row.names = FALSE, quote = FALSE)
  rows <<- list()
}

## Design fixture: weights N_c / n_c from the frame.
d <- read.csv("design.csv", stringsAsFactors = FALSE, na.strings = "NA", encoding = "UTF-8")
frame <- read.csv("frame.csv", stringsAsFactors = FALSE, encoding = "UTF-8")
forms <- list(
  student = list(ids = c("s1", "s2", "s3"), dims = c("教育公平", "教育公平", "教育质量")),
  staff   = list(ids = c("t1", "t2", "t3"), dims = c("教育公平", "规范办学", "教育质量")),
  social  = list(ids = c("c1", "c2", "c3"), dims = c("教育公平", "教育质量", "教育质量")))
a <- as.matrix(d[, c("a1", "a2", "a3")])
d$y <- rowMeans(a, na.rm = TRUE)
d$y[is.nan(d$y)] <- NA
valid <- d[!(toupper(d$excluded) == "TRUE") & !is.na(d$y), ]
av <- as.matrix(valid[, c("a1", "a2", "a3")])
nc <- table(valid$cell)
valid$w <- 1
for (c in names(nc)) {
  i <- match(c, frame$cell)
  if (!is.na(i)) valid$w[valid$cell == c] <- frame$N[i] / nc[[c]]
}
write.csv(data.frame(cell = names(nc), n = as.integer(nc),
                     weight = fmt(sapply(names(nc), function(c) valid$w[valid$cell == c][1]))),
          file.path(outdir, "design_weights.csv"), row.names = FALSE, quote = FALSE)

all <- rep(TRUE, nrow(valid))
put("overall", est(valid, valid$y, all, Wdefault))
for (g in groups) put(paste0("group:", g), est(valid, valid$y, valid$group == g, Wdefault))
dimnames_all <- c("教育公平", "规范办学", "教育质量")
for (dm in dimnames_all) {
  v <- rep(NA_real_, nrow(valid))
  for (f in names(forms)) {
    rowsf <- valid$form == f
    cols <- which(forms[[f]]$dims == dm)
    if (length(cols) == 0 || !any(rowsf)) next
    m <- rowMeans(av[rowsf, cols, drop = FALSE], na.rm = TRUE)
    m[is.nan(m)] <- NA
    v[rowsf] <- m
  }
  put(paste0("dim:", dm), est(valid, v, all, Wdefault))
  for (g in groups) put(paste0("dim:", dm, ":group:", g), est(valid, v, valid$group == g, Wdefault))
}
for (f in names(forms)) {
  for (j in 1:3) {
    v <- ifelse(valid$form == f, av[, j], NA)
    put(paste0("item:", f, ":", forms[[f]]$ids[j]), est(valid, v, all, Wdefault))
  }
}
for (u in c("城区", "镇区", "乡村")) put(paste0("urb:", u), est(valid, valid$y, valid$urbanicity == u, Wdefault))
for (t in sort(unique(valid$township[valid$township != ""]))) {
  put(paste0("township:", t), est(valid, valid$y, valid$township == t, Wdefault))
}
for (s in sort(unique(valid$school[valid$school != ""]))) {
  ys <- valid$y[valid$school == s]
  ci <- suppressWarnings(prop.test(sum(ys), length(ys), correct = FALSE)$conf.int)
  put(paste0("school:", s), est(valid, valid$y, valid$school == s, Wdefault),
      c(mean(ys), ci[1], ci[2]))
}
# Custom group weights: teachers weigh nothing, so they leave the overall rate.
put("custom:overall", est(valid, valid$y, all,
                          c(student = 0.2, parent = 0.4, teacher = 0, principal = 0.1,
                            deputy = 0.1, cppcc = 0.1, public = 0.1)))
write_rows("design_golden.csv")

## Replication fixture: weights as written in the file.
r <- read.csv("replication.csv", stringsAsFactors = FALSE, fileEncoding = "UTF-8-BOM",
              colClasses = c(excluded = "character", y = "numeric"))
r <- r[!(tolower(r$excluded) %in% c("true", "1")) & !is.na(r$y), ]
r$w <- r$weight
r$psu <- r$psu
all <- rep(TRUE, nrow(r))
put("overall", est(r, r$y, all, Wdefault))
for (g in groups) put(paste0("group:", g), est(r, r$y, r$group == g, Wdefault))
write_rows("replication_golden.csv")
cat("golden files written to", outdir, "\n")
