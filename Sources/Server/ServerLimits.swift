import NIOCore

/// Bounds on what clients can hold open, so half-open or idle connections can
/// neither starve /metrics nor eat the file descriptors probes need.
public struct ServerLimits: Sendable, Equatable {
  /// A connection that sends nothing for this long (no complete header block, no
  /// body bytes, no next request) is closed: partial headers, stalled bodies and
  /// idle keep-alives alike.
  public var idleTimeout: Duration
  /// Connections served at once; more wait in the listen backlog.
  public var maxConnections: Int

  public init(idleTimeout: Duration = .seconds(15), maxConnections: Int = 256) {
    self.idleTimeout = idleTimeout
    self.maxConnections = maxConnections
  }
}

extension Duration {
  var timeAmount: TimeAmount {
    let (seconds, atto) = components
    return .nanoseconds(seconds * 1_000_000_000 + atto / 1_000_000_000)
  }
}
