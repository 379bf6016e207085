import AtalayaCore

/// Why a notification was given up.
public enum DropReason: Sendable, Equatable, CustomStringConvertible {
  /// Older than the receiver's `max_age`.
  case expired(age: Duration)
  /// The receiver answered with a status retrying cannot fix.
  case permanent(reason: String)
  /// The receiver is no longer configured.
  case receiverRemoved

  public var description: String {
    switch self {
    case .expired(let age): "older than max_age (\(NumberText.fixed(age.seconds, 0))s)"
    case .permanent(let reason): "permanent failure (\(reason))"
    case .receiverRemoved: "receiver no longer configured"
    }
  }
}

/// What to do with the head of a receiver's queue now.
public enum DeliveryStep: Sendable, Equatable {
  /// Attempt it.
  case send
  /// Nothing before this time.
  case wait(until: Timestamp)
  /// Give it up (count it as dropped).
  case drop(DropReason)
}

/// The outcome of an attempt for the entry.
public enum DeliveryTransition: Sendable, Equatable {
  /// Done; `latency` from first enqueue to success.
  case delivered(latency: Duration)
  /// Failed; keep `entry` (attempts and next time updated).
  case retry(OutboxEntry)
  /// Failed for good.
  case dropped(DropReason)
}

/// The pure decisions of delivery: when to attempt an entry, when to give up,
/// and what a failed attempt means. Times come in; nothing is read or slept here.
public enum DeliveryStateMachine {
  /// The step for `entry` at `now`: drop once it is `maxAge` old, send when due,
  /// else wait until it is due (or expires, whichever is first).
  public static func step(_ entry: OutboxEntry, now: Timestamp, maxAge: Duration) -> DeliveryStep {
    let expiry = entry.firstQueuedAt + maxAge
    if now >= expiry { return .drop(.expired(age: now - entry.firstQueuedAt)) }
    if now >= entry.nextAttemptAt { return .send }
    return .wait(until: min(entry.nextAttemptAt, expiry))
  }

  /// The transition after an attempt of `entry` that ended at `now` with `result`;
  /// `random` in [0, 1) picks the jitter.
  public static func after(
    _ entry: OutboxEntry, result: AttemptResult, now: Timestamp, policy: RetryPolicy,
    random: Double
  ) -> DeliveryTransition {
    switch result {
    case .delivered:
      return .delivered(latency: max(.zero, now - entry.firstQueuedAt))
    case .permanent(let reason):
      return .dropped(.permanent(reason: reason))
    case .retryable(let reason, let retryAfter):
      var next = entry
      next.attempts += 1
      next.lastError = reason
      next.nextAttemptAt =
        now + policy.delay(afterAttempts: next.attempts, retryAfter: retryAfter, random: random)
      return .retry(next)
    }
  }
}
