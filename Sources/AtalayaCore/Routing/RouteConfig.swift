/// One `routes:` entry: the fallback chain an application asks "which model now?" about.
public struct RouteConfig: Sendable, Equatable {
  public enum Order: String, Sendable, Equatable, CaseIterable {
    /// The first usable candidate in configured order.
    case priority
    /// The usable candidate with the best success ratio (then the lowest p95).
    case health
  }

  /// `[a-z0-9_-]+`, unique; the `route` label.
  public var name: String
  public var candidates: [RouteCandidate]
  /// A candidate whose success ratio is below this is skipped (`low_success`).
  public var skipBelow: Double
  /// A candidate whose p95 latency is above this is skipped (`slow`), when set.
  public var maxLatencyP95: Duration?
  public var order: Order
  /// How long a candidate skipped for a failure stays skipped (0: while the condition holds).
  public var disableFor: Duration

  public init(
    name: String, candidates: [RouteCandidate], skipBelow: Double = 0.3,
    maxLatencyP95: Duration? = nil, order: Order = .priority, disableFor: Duration = .zero
  ) {
    self.name = name
    self.candidates = candidates
    self.skipBelow = skipBelow
    self.maxLatencyP95 = maxLatencyP95
    self.order = order
    self.disableFor = disableFor
  }
}

/// One candidate of a route: a probed check or a series the application reports.
public struct RouteCandidate: Sendable, Equatable, Hashable {
  public var provider: String
  public var model: String
  /// The application's own request limit for this candidate, when declared.
  public var rateLimit: RequestRateLimit?

  public init(provider: String, model: String, rateLimit: RequestRateLimit? = nil) {
    self.provider = provider
    self.model = model
    self.rateLimit = rateLimit
  }

  public var key: ModelKey { ModelKey(provider: provider, model: model) }
}

/// `rate_limit_requests` per `rate_limit_window`, counted over a sliding window of the
/// requests reported to POST /api/v1/usage.
public struct RequestRateLimit: Sendable, Equatable, Hashable {
  public var requests: Int
  public var window: Duration

  public static let maxRequests = 100_000

  public init(requests: Int, window: Duration) {
    self.requests = requests
    self.window = window
  }
}
