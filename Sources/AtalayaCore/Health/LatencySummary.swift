/// What readers take from a window's latency sketch: how many values, their sum and the
/// quantiles /metrics, the status API, alert rules and routes report (p50, p90, p95, p99).
///
/// Kept in ``WindowStats`` instead of the merged sketch itself: a check's cached stats then
/// hold a few dozen bytes inline rather than a 1–2 KiB block of bins that grows as the
/// window fills. The quantiles are the sketch's (±1% relative error, see ``LatencySketch``).
public struct LatencySummary: Sendable, Equatable {
  /// The quantiles kept, in the order of ``quantile(at:)`` (and of the `quantile` label
  /// values of `atalaya_window_latency_seconds`).
  public static let quantiles: [Double] = [0.5, 0.9, 0.95, 0.99]

  /// Number of values summarised.
  public private(set) var count: Int
  /// Sum of the (clamped) values, in seconds.
  public private(set) var sum: Double
  public private(set) var p50: Double?
  public private(set) var p90: Double?
  public private(set) var p95: Double?
  public private(set) var p99: Double?

  /// No values.
  public init() {
    count = 0
    sum = 0
  }

  /// The summary of `sketch`.
  public init(_ sketch: LatencySketch) {
    count = sketch.count
    sum = sketch.sum
    p50 = sketch.quantile(Self.quantiles[0])
    p90 = sketch.quantile(Self.quantiles[1])
    p95 = sketch.quantile(Self.quantiles[2])
    p99 = sketch.quantile(Self.quantiles[3])
  }

  /// True when no value was summarised.
  public var isEmpty: Bool { count == 0 }

  /// The mean of the values, nil when empty.
  public var mean: Double? { count > 0 ? sum / Double(count) : nil }

  /// The value of the `index`th of ``quantiles`` (nil when empty or out of range).
  public func quantile(at index: Int) -> Double? {
    switch index {
    case 0: p50
    case 1: p90
    case 2: p95
    case 3: p99
    default: nil
    }
  }
}
