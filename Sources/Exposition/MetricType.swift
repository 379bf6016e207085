/// The Prometheus metric type of a family, as written in its `# TYPE` line.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
  case counter
  case gauge
  case histogram
  /// Pre-computed quantiles (the only type Prometheus lets carry a `quantile` label);
  /// written without `_sum`/`_count` when those are not meaningful.
  case summary
}
