#include "scoring/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace zm::scoring {

std::vector<double> MidRanks(std::span<const double> values) {
  const size_t n = values.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(n);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && values[order[j]] == values[order[i]]) ++j;
    const double mid = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) ranks[order[k]] = mid;
    i = j;
  }
  return ranks;
}

std::optional<double> Pearson(std::span<const double> x, std::span<const double> y) {
  const size_t n = x.size();
  if (n != y.size() || n < 2) return std::nullopt;
  double mx = 0;
  double my = 0;
  for (size_t i = 0; i < n; ++i) mx += x[i], my += y[i];
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0;
  double sxx = 0;
  double syy = 0;
  for (size_t i = 0; i < n; ++i) {
    const double dx = x[i] - mx;
    const double dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx <= 0 || syy <= 0) return std::nullopt;
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

std::optional<double> Spearman(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) return std::nullopt;
  const std::vector<double> rx = MidRanks(x);
  const std::vector<double> ry = MidRanks(y);
  return Pearson(rx, ry);
}

std::optional<double> QuadraticWeightedKappa(std::span<const int> a, std::span<const int> b,
                                             int min_rating, int max_rating) {
  if (a.size() != b.size() || a.empty() || max_rating <= min_rating) return std::nullopt;
  const size_t k = static_cast<size_t>(max_rating - min_rating + 1);
  std::vector<double> observed(k * k, 0.0);
  std::vector<double> hist_a(k, 0.0);
  std::vector<double> hist_b(k, 0.0);
  for (size_t i = 0; i < a.size(); ++i) {
    const auto ia = static_cast<size_t>(std::clamp(a[i], min_rating, max_rating) - min_rating);
    const auto ib = static_cast<size_t>(std::clamp(b[i], min_rating, max_rating) - min_rating);
    observed[ia * k + ib] += 1;
    hist_a[ia] += 1;
    hist_b[ib] += 1;
  }
  const double n = static_cast<double>(a.size());
  const double denom_w = static_cast<double>((k - 1) * (k - 1));
  double num = 0;
  double den = 0;
  for (size_t i = 0; i < k; ++i) {
    for (size_t j = 0; j < k; ++j) {
      const double d = static_cast<double>(i) - static_cast<double>(j);
      const double w = d * d / denom_w;
      num += w * observed[i * k + j];
      den += w * hist_a[i] * hist_b[j] / n;
    }
  }
  if (den <= 0) return std::nullopt;
  return 1.0 - num / den;
}

}  // namespace zm::scoring
