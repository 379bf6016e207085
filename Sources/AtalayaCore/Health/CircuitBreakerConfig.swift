/// Circuit-breaker settings of one check, resolved from `circuit_breaker:` at the top
/// level, under its provider and under the check (each key overrides the inherited one).
public struct CircuitBreakerConfig: Sendable, Equatable, Codable {
  /// Consecutive failures that open the circuit.
  public var failureThreshold: Int
  /// Time the circuit stays open before it lets a probe through (half-open).
  public var resetTimeout: Duration
  /// Trial successes in half-open that close the circuit.
  public var successThreshold: Int
  /// Trial probes half-open allows; the circuit reopens as soon as the remaining trials can
  /// no longer reach ``successThreshold`` (equal to it by default: any failure reopens).
  public var halfOpenProbes: Int
  /// Opens on the failure share of recent probes, when set.
  public var errorRate: ErrorRateTrip?
  /// Opens on slow successes, when set.
  public var latency: LatencyTrip?
  /// Classes that never move the breaker (default `rate_limited`, none with
  /// `count_rate_limited: true`).
  public var excludedClasses: Set<ResultClass>
  /// How long a `quota_exhausted` circuit stays open when the provider named no reset.
  public var quotaRecheck: Duration
  /// How long an `auth` circuit stays open before the key is tried again.
  public var authRecheck: Duration

  /// The error-rate trip: open when more than `threshold` of the last `window` counted
  /// probes failed, once at least `minRequests` of them were counted.
  public struct ErrorRateTrip: Sendable, Equatable, Codable {
    public var threshold: Double
    public var window: Int
    public var minRequests: Int

    /// The most probes the window can hold (a fixed 256-bit ring, no heap).
    public static let maxWindow = 256

    public init(threshold: Double = 0.1, window: Int = 100, minRequests: Int = 10) {
      self.threshold = threshold
      self.window = min(max(window, 1), Self.maxWindow)
      self.minRequests = minRequests
    }
  }

  /// The latency trip: open when `consecutive` successful probes in a row were slower than
  /// `threshold`, or — without `consecutive` — when the window p95 is, once the window
  /// holds `minRequests` successes.
  public struct LatencyTrip: Sendable, Equatable, Codable {
    public var threshold: Duration
    public var consecutive: Int?
    public var minRequests: Int

    public init(threshold: Duration, consecutive: Int? = nil, minRequests: Int = 10) {
      self.threshold = threshold
      self.consecutive = consecutive
      self.minRequests = minRequests
    }
  }

  public init(
    failureThreshold: Int = 5, resetTimeout: Duration = .seconds(60), successThreshold: Int = 2,
    halfOpenProbes: Int? = nil, errorRate: ErrorRateTrip? = nil, latency: LatencyTrip? = nil,
    excludedClasses: Set<ResultClass> = [.rateLimited], quotaRecheck: Duration = .seconds(900),
    authRecheck: Duration = .seconds(300)
  ) {
    self.failureThreshold = failureThreshold
    self.resetTimeout = resetTimeout
    self.successThreshold = successThreshold
    self.halfOpenProbes = max(halfOpenProbes ?? successThreshold, successThreshold)
    self.errorRate = errorRate
    self.latency = latency
    self.excludedClasses = excludedClasses
    self.quotaRecheck = quotaRecheck
    self.authRecheck = authRecheck
  }

  /// The longest a reset named by a provider keeps a `quota_exhausted` circuit open
  /// (a monthly cap returns within a month; anything later is not believed).
  public static let maxQuotaHold: Duration = .seconds(32 * 86_400)
  /// The longest a `Retry-After` (or a spent rate limit's reset) holds probes back.
  public static let maxRetryHold: Duration = .seconds(3_600)
}

/// Why a circuit opened; the raw values are the `reason` label and status API values.
public enum CircuitOpenReason: String, CaseIterable, Sendable, Codable, Hashable {
  /// `failure_threshold` failures in a row.
  case consecutiveFailures = "consecutive_failures"
  /// The error-rate trip.
  case errorRate = "error_rate"
  /// The latency trip.
  case latency
  /// The provider said the quota or money is spent: open until its reset.
  case quotaExhausted = "quota_exhausted"
  /// The key was refused: open for `auth_recheck`.
  case auth
}
