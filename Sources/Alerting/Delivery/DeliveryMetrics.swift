/// Delivery latency (first enqueue to success) as a cumulative histogram.
public struct DeliveryLatencyHistogram: Sendable, Equatable {
  /// Finite bucket bounds in seconds (`atalaya_notification_latency_seconds`).
  public static let upperBounds: [Double] = [
    0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600,
  ]

  private var bucketCounts = [UInt64](repeating: 0, count: upperBounds.count + 1)
  public private(set) var sum: Double = 0
  public private(set) var count: UInt64 = 0

  public init() {}

  /// Records one latency; negative or NaN values are ignored.
  public mutating func observe(_ seconds: Double) {
    guard seconds >= 0 else { return }
    let i = Self.upperBounds.firstIndex { seconds <= $0 } ?? Self.upperBounds.count
    bucketCounts[i] += 1
    count += 1
    sum += seconds
  }

  /// Cumulative counts per entry of ``upperBounds``; `+Inf` is ``count``.
  public var cumulativeCounts: [UInt64] {
    var running: UInt64 = 0
    return Self.upperBounds.indices.map { i in
      running += bucketCounts[i]
      return running
    }
  }
}

/// A value snapshot of delivery, for `/metrics`:
/// `atalaya_notifications_total{receiver,result}`,
/// `atalaya_notification_queue_length{receiver}` and
/// `atalaya_notification_latency_seconds{receiver}`.
public struct DeliveryMetrics: Sendable, Equatable {
  /// One receiver's numbers.
  public struct Receiver: Sendable, Equatable {
    /// Notifications delivered.
    public var sent: UInt64 = 0
    /// Attempts that failed (each retry counts).
    public var failed: UInt64 = 0
    /// Notifications given up (expired, permanent failure, receiver removed).
    public var dropped: UInt64 = 0
    /// Notifications owed now.
    public var queueLength: Int = 0
    public var latency = DeliveryLatencyHistogram()

    public init() {}
  }

  /// By receiver name.
  public var receivers: [String: Receiver] = [:]

  public init() {}

  /// The receivers sorted by name (stable exposition order).
  public var sorted: [(name: String, metrics: Receiver)] {
    receivers.sorted { $0.key < $1.key }.map { (name: $0.key, metrics: $0.value) }
  }
}
