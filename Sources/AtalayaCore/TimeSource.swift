#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the domain reads "now" from. Production uses ``SystemTimeSource``;
/// tests inject a manual source and move it by hand.
public protocol TimeSource: Sendable {
  /// The current wall-clock time.
  func now() -> Timestamp
}

/// The real wall clock (CLOCK_REALTIME).
public struct SystemTimeSource: TimeSource {
  public init() {}

  public func now() -> Timestamp {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Timestamp(seconds: Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9)
  }
}
