import AtalayaCore

/// How failed deliveries are retried: exponential backoff with jitter, capped,
/// and the server's `Retry-After` as a floor.
public struct RetryPolicy: Sendable, Equatable {
  /// The wait after the first failed attempt.
  public var initialBackoff: Duration
  /// The longest wait between attempts.
  public var maxBackoff: Duration
  /// Growth per failed attempt.
  public var multiplier: Double
  /// Each wait is scaled by a random factor in `1 ± jitter` (then capped).
  public var jitter: Double
  /// The longest `Retry-After` honoured (a server asking for more gets this).
  public var maxRetryAfter: Duration

  public init(
    initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(300),
    multiplier: Double = 2, jitter: Double = 0.2, maxRetryAfter: Duration = .seconds(3600)
  ) {
    self.initialBackoff = initialBackoff
    self.maxBackoff = maxBackoff
    self.multiplier = multiplier
    self.jitter = min(max(jitter, 0), 1)
    self.maxRetryAfter = maxRetryAfter
  }

  /// The wait after `attempts` failed attempts (1 for the first failure), with
  /// `random` in [0, 1) choosing the jitter: 1 s, 2 s, 4 s … ± 20 %, at most 5 min.
  public func backoff(afterAttempts attempts: Int, random: Double) -> Duration {
    var base = initialBackoff.seconds
    let cap = maxBackoff.seconds
    // Doubling reaches any cap long before 64 steps: a huge `attempts` (from a
    // tampered outbox) must not spin.
    for _ in 1..<max(1, min(attempts, 64)) where base < cap { base *= multiplier }
    let r = random.isFinite ? min(max(random, 0), 1) : 0.5
    let jittered = min(base, cap) * (1 + jitter * (2 * r - 1))
    return .milliseconds(Int64((min(jittered, cap) * 1000).rounded()))
  }

  /// The wait before the next attempt: the backoff, or the server's `Retry-After`
  /// when that is longer (capped at ``maxRetryAfter``).
  public func delay(afterAttempts attempts: Int, retryAfter: Double?, random: Double) -> Duration {
    let backoff = backoff(afterAttempts: attempts, random: random)
    guard let retryAfter, retryAfter.isFinite, retryAfter > 0 else { return backoff }
    let asked = Duration.milliseconds(
      Int64((min(retryAfter, maxRetryAfter.seconds) * 1000).rounded()))
    return max(asked, backoff)
  }
}
