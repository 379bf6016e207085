/// A circuit breaker for one check, as a state machine over ``CircuitState``.
///
/// - closed → open after `failureThreshold` consecutive failures (timer starts: ``openedAt``);
/// - open → half_open once `resetTimeout` has passed since ``openedAt``. This transition is
///   lazy: ``state(at:)`` computes it, nothing needs to tick;
/// - half_open → closed after `successThreshold` consecutive successes;
/// - half_open → open on any failure (the timer restarts).
///
/// While open (before the timeout) results change no state: a late failure only increments
/// ``consecutiveFailures`` (the timer is not restarted), a late success resets it. If the
/// wall clock is earlier than ``openedAt`` (stepped back), the timeout counts as passed.
/// Thresholds below 1 act as 1. About 64 bytes inline, no heap.
public struct CircuitBreaker: Sendable, Codable, Equatable {
  /// A state change caused by ``record(success:at:)``, for logging.
  public struct Transition: Sendable, Equatable, CustomStringConvertible {
    public var from: CircuitState
    public var to: CircuitState
    public var at: Timestamp

    public init(from: CircuitState, to: CircuitState, at: Timestamp) {
      self.from = from
      self.to = to
      self.at = at
    }

    public var description: String { "\(from.rawValue) -> \(to.rawValue)" }
  }

  /// Thresholds and reset timeout; may be replaced on reload.
  public var config: CircuitBreakerConfig
  /// The state as last recorded; `open` may already be half-open by time (see ``state(at:)``).
  public private(set) var recordedState: CircuitState
  /// Failures in a row (any state); 0 after a success. Useful as an alert signal.
  public private(set) var consecutiveFailures: Int
  /// Successes in a row while half-open.
  public private(set) var consecutiveSuccesses: Int
  /// When the circuit last opened; nil while it has not opened since it last closed.
  public private(set) var openedAt: Timestamp?

  /// A closed breaker.
  public init(config: CircuitBreakerConfig = CircuitBreakerConfig()) {
    self.config = config
    recordedState = .closed
    consecutiveFailures = 0
    consecutiveSuccesses = 0
    openedAt = nil
  }

  /// The state at `now`, with the lazy open → half_open transition applied.
  public func state(at now: Timestamp) -> CircuitState {
    guard recordedState == .open else { return recordedState }
    return resetTimeoutPassed(at: now) ? .halfOpen : .open
  }

  /// False only while open and the reset timeout has not passed yet.
  public func allowsProbe(at now: Timestamp) -> Bool { state(at: now) != .open }

  /// When the circuit lets probes through again, nil unless open.
  public func reopensAt(now: Timestamp) -> Timestamp? {
    guard state(at: now) == .open, let openedAt else { return nil }
    return openedAt + config.resetTimeout
  }

  /// Records a probe result at `time`; returns the visible state change, if any
  /// (`from` is the state at `time` before the result, so the lazy open → half_open step
  /// is never reported here).
  @discardableResult
  public mutating func record(success: Bool, at time: Timestamp) -> Transition? {
    let before = state(at: time)
    recordedState = before
    switch (before, success) {
    case (.closed, true):
      consecutiveFailures = 0
    case (.closed, false):
      consecutiveFailures = consecutiveFailures.saturatingAdding(1)
      if consecutiveFailures >= max(1, config.failureThreshold) { open(at: time) }
    case (.open, true):
      consecutiveFailures = 0
    case (.open, false):
      consecutiveFailures = consecutiveFailures.saturatingAdding(1)
    case (.halfOpen, true):
      consecutiveFailures = 0
      consecutiveSuccesses = consecutiveSuccesses.saturatingAdding(1)
      if consecutiveSuccesses >= max(1, config.successThreshold) {
        recordedState = .closed
        consecutiveSuccesses = 0
        openedAt = nil
      }
    case (.halfOpen, false):
      consecutiveFailures = consecutiveFailures.saturatingAdding(1)
      open(at: time)
    }
    return recordedState == before ? nil : Transition(from: before, to: recordedState, at: time)
  }

  private mutating func open(at time: Timestamp) {
    recordedState = .open
    openedAt = time
    consecutiveSuccesses = 0
  }

  private func resetTimeoutPassed(at now: Timestamp) -> Bool {
    guard let openedAt, now >= openedAt else { return true }
    return now - openedAt >= config.resetTimeout
  }
}
