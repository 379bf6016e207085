/// Aggregates of a ``RollingWindow`` at one instant.
///
/// Latency quantiles cover successful probes only and are within ±1% relative error
/// (see ``LatencySketch``); the stats keep the quantiles readers use (``LatencySummary``),
/// not the window's merged sketch.
public struct WindowStats: Sendable, Equatable {
  /// Non-zero result counts in the window.
  public var countsByResult: [ResultClass: Int]
  /// Whether `rate_limited` results count as failures in ``successRatio``.
  public var countRateLimited: Bool
  /// Latencies of successful probes (seconds).
  public var latency: LatencySummary
  /// Time to first token of successful streaming probes (seconds).
  public var ttft: LatencySummary

  /// Empty stats.
  public init(
    countsByResult: [ResultClass: Int] = [:], countRateLimited: Bool = false,
    latency: LatencySummary = LatencySummary(), ttft: LatencySummary = LatencySummary()
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

  public var p50: Double? { latency.p50 }
  public var p90: Double? { latency.p90 }
  public var p95: Double? { latency.p95 }
  public var p99: Double? { latency.p99 }

  /// Mean latency of successful probes in seconds.
  public var meanLatency: Double? { latency.mean }

  /// 95th percentile time to first token in seconds.
  public var ttftP95: Double? { ttft.p95 }
}
