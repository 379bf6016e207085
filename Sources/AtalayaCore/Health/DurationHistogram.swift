/// The finite upper bounds (seconds) of a fixed-bucket histogram; `+Inf` is implicit.
public protocol HistogramBuckets: Sendable {
  static var upperBounds: [Double] { get }
}

/// `atalaya_probe_duration_seconds`: 0.05 s … 120 s.
public enum ProbeDurationBuckets: HistogramBuckets {
  public static let upperBounds: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120]
}

/// `atalaya_notification_latency_seconds`: 0.05 s … 1 h (retries included).
public enum DeliveryLatencyBuckets: HistogramBuckets {
  public static let upperBounds: [Double] = [
    0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600,
  ]
}

/// A cumulative histogram with fixed buckets for a Prometheus histogram (`le`
/// semantics: a value equal to a bound falls in it). Only grows: counts since start
/// (or since the last restore). One UInt64 per bucket.
public struct BucketHistogram<Buckets: HistogramBuckets>: Sendable, Equatable {
  /// The finite upper bounds in seconds; `+Inf` is implicit.
  public static var upperBounds: [Double] { Buckets.upperBounds }

  /// Per-bucket (non-cumulative) counts; the last one is the `+Inf` overflow bucket.
  public private(set) var bucketCounts: [UInt64]
  /// Sum of the observed values in seconds.
  public private(set) var sum: Double
  /// Number of observed values (the `+Inf` bucket).
  public private(set) var count: UInt64

  /// An empty histogram.
  public init() {
    bucketCounts = Array(repeating: 0, count: Buckets.upperBounds.count + 1)
    sum = 0
    count = 0
  }

  /// Records one value in seconds. NaN and negative values are ignored.
  public mutating func observe(_ seconds: Double) {
    guard seconds >= 0, count < UInt64.max else { return }
    let i = Buckets.upperBounds.firstIndex { seconds <= $0 } ?? Buckets.upperBounds.count
    bucketCounts[i] += 1
    count += 1
    sum += seconds
  }

  /// Cumulative counts, one per entry of ``upperBounds`` (values `<= bound`); the
  /// `+Inf` bucket is ``count``.
  public var cumulativeCounts: [UInt64] {
    var running: UInt64 = 0
    return Buckets.upperBounds.indices.map { i in
      running += bucketCounts[i]
      return running
    }
  }
}

/// Probe latency (`atalaya_probe_duration_seconds`), persisted with the check's health.
public typealias DurationHistogram = BucketHistogram<ProbeDurationBuckets>

extension BucketHistogram: Codable {
  private enum CodingKeys: String, CodingKey {
    case le, counts, sum
  }

  /// Decodes `{"le": bounds, "counts": per-bucket counts incl. +Inf, "sum": s}`; the
  /// bounds must equal ``upperBounds``.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let bounds = try container.decode([Double].self, forKey: .le)
    let counts = try container.decode([UInt64].self, forKey: .counts)
    let sum = try container.decode(Double.self, forKey: .sum)
    guard bounds == Buckets.upperBounds, counts.count == bounds.count + 1 else {
      throw DecodingError.dataCorruptedError(
        forKey: .le, in: container, debugDescription: "duration histogram: unexpected buckets")
    }
    let (total, overflow) = counts.reduce((UInt64(0), false)) { acc, c in
      let (s, o) = acc.0.addingReportingOverflow(c)
      return (s, acc.1 || o)
    }
    guard !overflow, sum.isFinite, sum >= 0 else {
      throw DecodingError.dataCorruptedError(
        forKey: .counts, in: container,
        debugDescription: "duration histogram: invalid counts or sum")
    }
    self.init()
    bucketCounts = counts
    self.sum = sum
    count = total
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(Buckets.upperBounds, forKey: .le)
    try container.encode(bucketCounts, forKey: .counts)
    try container.encode(sum, forKey: .sum)
  }
}
