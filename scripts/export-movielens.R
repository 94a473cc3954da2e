# Exports MovieLens ml-latest-small (as shipped by Debian's r-cran-dslabs: 100,004 ratings of 9,066 movies by 671
# users, 0.5-5 stars in half stars) to CSV for NasKit's data locator. Called once by setup.sh.
# Usage: Rscript export-movielens.R OUT.csv
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript export-movielens.R OUT.csv")
out <- args[1]
suppressPackageStartupMessages(library(dslabs))
data("movielens", package = "dslabs", envir = environment())
m <- movielens
# The export is checked here, and again by NasKit's reader: a wrong file must never reach a model.
stopifnot(nrow(m) == 100004L,
          !anyNA(m$userId), !anyNA(m$movieId), !anyNA(m$rating), !anyNA(m$genres),
          all(m$rating >= 0.5 & m$rating <= 5), all(m$rating * 2 == round(m$rating * 2)),
          length(unique(m$userId)) == 671L, length(unique(m$movieId)) == 9066L)
df <- data.frame(userId = m$userId, movieId = m$movieId, rating = m$rating,
                 timestamp = m$timestamp, genres = as.character(m$genres))
tmp <- paste0(out, ".tmp")
write.csv(df, tmp, row.names = FALSE)
if (!file.rename(tmp, out)) stop(paste("cannot write", out))
cat(sprintf("exported %d ratings of %d movies by %d users to %s\n", nrow(df),
            length(unique(df$movieId)), length(unique(df$userId)), out))
