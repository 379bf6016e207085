/// Aggregates of a ``RollingWindow`` at one instant.
///
/// Latency quantiles cover successful probes only and are within ±1% relative error
/// (see ``LatencySketch``).
public struct WindowStats: Sendable, Equatable {
  /// Non-zero result counts in the window.
  public var countsByResult: [ResultClass: Int]
  /// Whether `rate_limited` results count as failures in ``successRatio``.
  public var countRateLimited: Bool
  /// Latencies of successful probes (seconds).
  public var latency: LatencySketch
  /// Time to first token of successful streaming probes (seconds).
  public var ttft: LatencySketch

  /// Empty stats.
  public init(
    countsByResult: [ResultClass: Int] = [:], countRateLimited: Bool = false,
    latency: LatencySketch = LatencySketch(), ttft: LatencySketch = LatencySketch()
  ) {
    self.countsByResult = countsByResult
    self.countRateLimited = countRateLimited
    self.latency = latency
    self.ttft = ttft
  }

  /// The count of one result class (0 when absent).
  public func count(of result: ResultClass) -> Int { countsByResult[result] ?? 0 }

  /// Every probe in the window, rate-limited ones included.
  public var total: Int { countsByResult.values.reduce(0, +) }

  /// Successful probes in the window.
  public var successes: Int { count(of: .success) }

  /// Probes counted in ``successRatio``: all of them, minus `rate_limited` unless
  /// ``countRateLimited``.
  public var countedProbes: Int { countRateLimited ? total : total - count(of: .rateLimited) }

  /// `successes / countedProbes`, nil when no probe is counted.
  public var successRatio: Double? {
    let counted = countedProbes
    return counted > 0 ? Double(successes) / Double(counted) : nil
  }

  /// `1 − successRatio`, nil when no probe is counted.
  public var errorRate: Double? { successRatio.map { 1 - $0 } }

  /// A latency quantile of successful probes in seconds, nil without data.
  public func quantile(_ q: Double) -> Double? { latency.quantile(q) }

  public var p50: Double? { quantile(0.5) }
  public var p90: Double? { quantile(0.9) }
  public var p95: Double? { quantile(0.95) }
  public var p99: Double? { quantile(0.99) }

  /// Mean latency of successful probes in seconds.
  public var meanLatency: Double? { latency.mean }

  /// 95th percentile time to first token in seconds.
  public var ttftP95: Double? { ttft.quantile(0.95) }
}
