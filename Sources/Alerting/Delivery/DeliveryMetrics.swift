import AtalayaCore

/// Delivery latency (first enqueue to success) as a cumulative histogram.
public typealias DeliveryLatencyHistogram = BucketHistogram<DeliveryLatencyBuckets>

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
