// Agreement metrics between automatic and human scores: Spearman rank correlation and quadratic
// weighted kappa. Pure functions, thread-safe.
#pragma once

#include <optional>
#include <span>
#include <vector>

namespace zm::scoring {

// Ranks 1..n with ties given the mean of the ranks they span (mid-ranks).
std::vector<double> MidRanks(std::span<const double> values);

// Pearson correlation coefficient; nullopt when the sizes differ, n < 2, or either side is
// constant.
std::optional<double> Pearson(std::span<const double> x, std::span<const double> y);

// Spearman's rho: Pearson correlation of the mid-ranks (ties averaged). nullopt as Pearson.
std::optional<double> Spearman(std::span<const double> x, std::span<const double> y);

// Quadratic weighted kappa of two integer ratings on the scale min_rating..max_rating (values
// outside are clamped into it): 1 - sum(w*O) / sum(w*E), w_ij = (i-j)^2 / (K-1)^2, E from the
// outer product of the two rating histograms. nullopt when the sizes differ, the input is empty,
// max_rating <= min_rating, or the expected disagreement is 0 (e.g. both raters constant).
std::optional<double> QuadraticWeightedKappa(std::span<const int> a, std::span<const int> b,
                                             int min_rating, int max_rating);

}  // namespace zm::scoring
