/// A point in wall-clock time, in seconds since the Unix epoch.
///
/// The domain works in wall time (not a monotonic clock) because windows and
/// circuit states are persisted and restored across restarts.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  /// Seconds since 1970-01-01T00:00:00Z.
  public var seconds: Double

  public init(seconds: Double) { self.seconds = seconds }

  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds < rhs.seconds }

  public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
    Timestamp(seconds: lhs.seconds + rhs.seconds)
  }

  public static func - (lhs: Timestamp, rhs: Duration) -> Timestamp {
    Timestamp(seconds: lhs.seconds - rhs.seconds)
  }

  /// The signed interval from `rhs` to `lhs`.
  /// Saturates (never traps) for timestamps absurdly far apart.
  public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration {
    .saturatingSeconds(lhs.seconds - rhs.seconds)
  }

  public var description: String { "\(seconds)" }

  public init(from decoder: any Decoder) throws {
    seconds = try decoder.singleValueContainer().decode(Double.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(seconds)
  }
}

extension Duration {
  /// The duration as a floating-point number of seconds.
  public var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) / 1e18
  }
}
