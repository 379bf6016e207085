/// A circuit breaker for one check, as a state machine over ``CircuitState``.
///
/// - closed → open when a trip fires (``CircuitOpenReason``): `failure_threshold`
///   consecutive failures, the error-rate trip, the latency trip, or at once on a
///   `quota_exhausted` or `auth` result. The circuit stays open until ``retryAt``:
///   `reset_timeout` later, or for a spent quota the reset the provider named (else
///   `quota_recheck`), for a refused key `auth_recheck`;
/// - open → half_open once ``retryAt`` has passed. This transition is lazy: ``state(at:)``
///   computes it, nothing needs to tick;
/// - half_open → closed after `success_threshold` trial successes; → open as soon as the
///   remaining of the `half_open_probes` trials can no longer reach that (by default any
///   failed trial), with the reason of that failure.
///
/// Results of an excluded class (default `rate_limited`) move nothing, but any result
/// that carries a resume time (`Retry-After`, a spent limit's reset) holds probes back
/// until then (``holdUntil``), whatever the state. While open (before ``retryAt``) results
/// change no state: a late failure only increments ``consecutiveFailures``. If the wall
/// clock is earlier than ``openedAt`` (stepped back), the open time counts as passed.
/// Thresholds below 1 act as 1. About 120 bytes inline, no heap.
public struct CircuitBreaker: Sendable, Equatable {
  /// A state change caused by ``record(_:latency:windowP95:resumeAt:at:)``, for logging.
  public struct Transition: Sendable, Equatable, CustomStringConvertible {
    public var from: CircuitState
    public var to: CircuitState
    public var at: Timestamp
    /// Why it opened (transitions to open).
    public var reason: CircuitOpenReason?
    /// When the circuit will next let a probe through (transitions to open).
    public var retryAt: Timestamp?

    public init(
      from: CircuitState, to: CircuitState, at: Timestamp, reason: CircuitOpenReason? = nil,
      retryAt: Timestamp? = nil
    ) {
      self.from = from
      self.to = to
      self.at = at
      self.reason = reason
      self.retryAt = retryAt
    }

    public var description: String { "\(from.rawValue) -> \(to.rawValue)" }
  }

  /// The settings; may be replaced on reload (not persisted).
  public var config: CircuitBreakerConfig
  /// The state as last recorded; `open` may already be half-open by time (see ``state(at:)``).
  public private(set) var recordedState: CircuitState
  /// Failures in a row (any state); 0 after a success. Useful as an alert signal.
  public private(set) var consecutiveFailures: Int
  /// Trial successes while half-open.
  public private(set) var consecutiveSuccesses: Int
  /// Trial failures while half-open.
  public private(set) var trialFailures: Int
  /// Successful probes in a row slower than the latency trip's threshold.
  public private(set) var consecutiveSlow: Int
  /// When the circuit last opened; nil while it has not opened since it last closed.
  public private(set) var openedAt: Timestamp?
  /// When an open circuit turns half-open; nil unless opened.
  public private(set) var retryAt: Timestamp?
  /// Why the circuit last opened; nil while closed.
  public private(set) var reason: CircuitOpenReason?
  /// No probe before this time (a `Retry-After`), in any state.
  public private(set) var holdUntil: Timestamp?
  /// The recent counted results, for the error-rate trip.
  public private(set) var recent: OutcomeRing

  /// A closed breaker.
  public init(config: CircuitBreakerConfig = CircuitBreakerConfig()) {
    self.config = config
    recordedState = .closed
    consecutiveFailures = 0
    consecutiveSuccesses = 0
    trialFailures = 0
    consecutiveSlow = 0
    openedAt = nil
    retryAt = nil
    reason = nil
    holdUntil = nil
    recent = OutcomeRing()
  }

  /// The state at `now`, with the lazy open → half_open transition applied.
  public func state(at now: Timestamp) -> CircuitState {
    guard recordedState == .open else { return recordedState }
    return retryTimePassed(at: now) ? .halfOpen : .open
  }

  /// False while open before ``retryAt``, or while a ``holdUntil`` is ahead.
  public func allowsProbe(at now: Timestamp) -> Bool {
    if let holdUntil, now < holdUntil { return false }
    return state(at: now) != .open
  }

  /// When the circuit lets probes through again, nil unless open.
  public func reopensAt(now: Timestamp) -> Timestamp? {
    guard state(at: now) == .open else { return nil }
    return retryAt ?? openedAt.map { $0 + config.resetTimeout }
  }

  /// When the next probe may go out, nil when it may now.
  public func nextProbeAt(now: Timestamp) -> Timestamp? {
    let open = reopensAt(now: now)
    let hold = holdUntil.flatMap { $0 > now ? $0 : nil }
    switch (open, hold) {
    case (let a?, let b?): return max(a, b)
    case (let a?, nil): return a
    case (nil, let b?): return b
    case (nil, nil): return nil
    }
  }

  /// Records a success or a generic failure at `time` (see
  /// ``record(_:latency:windowP95:resumeAt:at:)``).
  @discardableResult
  public mutating func record(success: Bool, at time: Timestamp) -> Transition? {
    record(success ? .success : .serverError, at: time)
  }

  /// Records one probe result at `time`; returns the visible state change, if any
  /// (`from` is the state at `time` before the result, so the lazy open → half_open step
  /// is never reported here).
  /// - Parameters:
  ///   - latency: the probe's latency in seconds (latency trip).
  ///   - windowP95: the window p95 of successes and how many successes it covers, for the
  ///     p95 form of the latency trip (computed by the caller only when configured).
  ///   - resumeAt: when the provider said to come back (`Retry-After`, a reset date).
  @discardableResult
  public mutating func record(
    _ result: ResultClass, latency: Double? = nil, windowP95: (p95: Double, successes: Int)? = nil,
    resumeAt: Timestamp? = nil, at time: Timestamp
  ) -> Transition? {
    if let resumeAt, resumeAt > time, result != .success {
      let latest = time + CircuitBreakerConfig.maxRetryHold
      holdUntil = min(resumeAt, latest)
    } else if result == .success {
      holdUntil = nil
    }
    if config.excludedClasses.contains(result) { return nil }
    let before = state(at: time)
    recordedState = before
    // A trial is judged by its own latency: the window still holds the slow probes that
    // opened the circuit.
    let slow =
      result.isSuccess
      && (before == .halfOpen
        ? config.latency.map { trip in latency.map { $0 > trip.threshold.seconds } ?? false }
          ?? false
        : isSlow(latency: latency, windowP95: windowP95))
    let failureReason = openReason(for: result, slow: slow)
    switch before {
    case .closed:
      recent.append(failed: !result.isSuccess, window: config.errorRate?.window ?? 1)
      if result.isSuccess {
        consecutiveFailures = 0
      } else {
        consecutiveFailures = consecutiveFailures.saturatingAdding(1)
      }
      if let reason = failureReason ?? closedTrip() {
        open(at: time, reason: reason, resumeAt: resumeAt)
      }
    case .open:
      consecutiveFailures = result.isSuccess ? 0 : consecutiveFailures.saturatingAdding(1)
    case .halfOpen:
      if result.isSuccess && !slow {
        consecutiveFailures = 0
        consecutiveSuccesses = consecutiveSuccesses.saturatingAdding(1)
        if consecutiveSuccesses >= max(1, config.successThreshold) { close() }
      } else {
        if !result.isSuccess { consecutiveFailures = consecutiveFailures.saturatingAdding(1) }
        trialFailures = trialFailures.saturatingAdding(1)
        let needed = max(1, config.successThreshold) - consecutiveSuccesses
        let left =
          max(config.halfOpenProbes, config.successThreshold) - consecutiveSuccesses
          - trialFailures
        if failureReason == .quotaExhausted || failureReason == .auth || left < needed {
          let why = slow ? .latency : failureReason ?? reason ?? .consecutiveFailures
          open(at: time, reason: why, resumeAt: resumeAt)
        }
      }
    }
    guard recordedState != before else { return nil }
    return Transition(
      from: before, to: recordedState, at: time,
      reason: recordedState == .open ? reason : nil,
      retryAt: recordedState == .open ? retryAt : nil)
  }

  /// The reason one result opens the circuit by itself: a spent quota, a refused key, or
  /// (for the latency trip) a slow success.
  private mutating func openReason(for result: ResultClass, slow: Bool) -> CircuitOpenReason? {
    switch result {
    case .quotaExhausted: return .quotaExhausted
    case .auth: return .auth
    case .success:
      guard let latency = config.latency else { return nil }
      if slow, latency.consecutive == nil { return .latency }
      consecutiveSlow = slow ? consecutiveSlow.saturatingAdding(1) : 0
      if let n = latency.consecutive, consecutiveSlow >= max(1, n) { return .latency }
      return nil
    default:
      return nil
    }
  }

  /// The trip of the counters while closed: consecutive failures, then the error rate.
  private func closedTrip() -> CircuitOpenReason? {
    if consecutiveFailures >= max(1, config.failureThreshold) { return .consecutiveFailures }
    if let trip = config.errorRate, recent.count >= max(1, trip.minRequests),
      Double(recent.failures) > trip.threshold * Double(recent.count)
    {
      return .errorRate
    }
    return nil
  }

  private func isSlow(latency: Double?, windowP95: (p95: Double, successes: Int)?) -> Bool {
    guard let trip = config.latency else { return false }
    if trip.consecutive != nil {
      return latency.map { $0 > trip.threshold.seconds } ?? false
    }
    guard let windowP95, windowP95.successes >= max(1, trip.minRequests) else { return false }
    return windowP95.p95 > trip.threshold.seconds
  }

  private mutating func open(at time: Timestamp, reason: CircuitOpenReason, resumeAt: Timestamp?) {
    recordedState = .open
    openedAt = time
    self.reason = reason
    consecutiveSuccesses = 0
    trialFailures = 0
    consecutiveSlow = 0
    recent = OutcomeRing()
    switch reason {
    case .quotaExhausted:
      // The provider's reset, but never sooner than quota_recheck: a short Retry-After
      // on a spent quota must not bring back a probe a minute.
      let recheck = time + config.quotaRecheck
      if let resumeAt, resumeAt > recheck {
        retryAt = min(resumeAt, time + CircuitBreakerConfig.maxQuotaHold)
      } else {
        retryAt = recheck
      }
      // The circuit's own time replaces a shorter hold.
      holdUntil = nil
    case .auth:
      retryAt = time + config.authRecheck
    default:
      retryAt = time + config.resetTimeout
    }
  }

  private mutating func close() {
    recordedState = .closed
    consecutiveSuccesses = 0
    trialFailures = 0
    consecutiveSlow = 0
    openedAt = nil
    retryAt = nil
    reason = nil
    recent = OutcomeRing()
  }

  private func retryTimePassed(at now: Timestamp) -> Bool {
    guard let openedAt, now >= openedAt else { return true }
    guard let retryAt else { return now - openedAt >= config.resetTimeout }
    return now >= retryAt
  }
}

/// The last results (failed or not) of up to 256 counted probes, as bits in a fixed ring.
public struct OutcomeRing: Sendable, Equatable, Codable {
  private var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
  /// Results held (at most the window).
  public private(set) var count = 0
  /// Failures among them.
  public private(set) var failures = 0
  private var head = 0

  public init() {}

  /// Adds one result, dropping the oldest once `window` are held.
  public mutating func append(failed: Bool, window: Int) {
    let window = min(max(window, 1), 256)
    if count >= window {
      // The oldest sits `count` positions behind the head.
      let oldest = (head - count + 256 * 2) % 256
      if bit(oldest) { failures -= 1 }
      count -= 1
      // Drop any excess after a smaller window was configured.
      while count >= window {
        let o = (head - count + 256 * 2) % 256
        if bit(o) { failures -= 1 }
        count -= 1
      }
    }
    set(head, failed)
    if failed { failures += 1 }
    head = (head + 1) % 256
    count += 1
  }

  private func bit(_ i: Int) -> Bool {
    let word: UInt64
    switch i / 64 {
    case 0: word = bits.0
    case 1: word = bits.1
    case 2: word = bits.2
    default: word = bits.3
    }
    return word & (1 << UInt64(i % 64)) != 0
  }

  private mutating func set(_ i: Int, _ value: Bool) {
    let mask: UInt64 = 1 << UInt64(i % 64)
    func apply(_ w: inout UInt64) { w = value ? (w | mask) : (w & ~mask) }
    switch i / 64 {
    case 0: apply(&bits.0)
    case 1: apply(&bits.1)
    case 2: apply(&bits.2)
    default: apply(&bits.3)
    }
  }

  public static func == (a: OutcomeRing, b: OutcomeRing) -> Bool {
    a.count == b.count && a.failures == b.failures && a.head == b.head && a.bits == b.bits
  }

  enum CodingKeys: String, CodingKey { case bits, count, failures, head }

  public init(from decoder: any Decoder) throws {
    self.init()
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let words = try c.decode([UInt64].self, forKey: .bits)
    let count = try c.decode(Int.self, forKey: .count)
    let head = try c.decode(Int.self, forKey: .head)
    guard words.count == 4, (0...256).contains(count), (0..<256).contains(head) else { return }
    bits = (words[0], words[1], words[2], words[3])
    self.count = count
    self.head = head
    // Recount rather than trust the file.
    var f = 0
    for k in 0..<count where bit((head - 1 - k + 256 * 2) % 256) { f += 1 }
    failures = f
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode([bits.0, bits.1, bits.2, bits.3], forKey: .bits)
    try c.encode(count, forKey: .count)
    try c.encode(failures, forKey: .failures)
    try c.encode(head, forKey: .head)
  }
}

extension CircuitBreaker: Codable {
  enum CodingKeys: String, CodingKey {
    case recordedState, consecutiveFailures, consecutiveSuccesses, trialFailures, consecutiveSlow
    case openedAt, retryAt, reason, holdUntil, recent
  }

  /// Decodes a saved breaker; fields older files lack take their defaults, and the config
  /// (older files saved it) is replaced by the current one on restore.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init()
    recordedState = try c.decode(CircuitState.self, forKey: .recordedState)
    // Counters are clamped: a tampered file must not make later arithmetic overflow.
    func clamp(_ v: Int) -> Int { min(max(v, 0), 1_000_000) }
    consecutiveFailures = clamp(try c.decode(Int.self, forKey: .consecutiveFailures))
    consecutiveSuccesses = clamp(try c.decode(Int.self, forKey: .consecutiveSuccesses))
    trialFailures = clamp(try c.decodeIfPresent(Int.self, forKey: .trialFailures) ?? 0)
    consecutiveSlow = clamp(try c.decodeIfPresent(Int.self, forKey: .consecutiveSlow) ?? 0)
    openedAt = try c.decodeIfPresent(Timestamp.self, forKey: .openedAt)
    retryAt = try c.decodeIfPresent(Timestamp.self, forKey: .retryAt)
    reason = try? c.decodeIfPresent(CircuitOpenReason.self, forKey: .reason)
    holdUntil = try c.decodeIfPresent(Timestamp.self, forKey: .holdUntil)
    recent = (try? c.decodeIfPresent(OutcomeRing.self, forKey: .recent)) ?? OutcomeRing()
    if recordedState == .open && reason == nil { reason = .consecutiveFailures }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(recordedState, forKey: .recordedState)
    try c.encode(consecutiveFailures, forKey: .consecutiveFailures)
    try c.encode(consecutiveSuccesses, forKey: .consecutiveSuccesses)
    try c.encode(trialFailures, forKey: .trialFailures)
    try c.encode(consecutiveSlow, forKey: .consecutiveSlow)
    try c.encodeIfPresent(openedAt, forKey: .openedAt)
    try c.encodeIfPresent(retryAt, forKey: .retryAt)
    try c.encodeIfPresent(reason, forKey: .reason)
    try c.encodeIfPresent(holdUntil, forKey: .holdUntil)
    try c.encode(recent, forKey: .recent)
  }
}
