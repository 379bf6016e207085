import AtalayaCore

/// One check as the scheduler sees it: what to run, how often, and how long a
/// run may take before the scheduler counts it as stuck.
public struct ScheduleEntry: Sendable, Hashable {
  public var id: CheckID
  public var interval: Duration
  public var timeout: Duration

  public init(id: CheckID, interval: Duration, timeout: Duration) {
    self.id = id
    self.interval = interval
    self.timeout = timeout
  }

  /// The check's stable phase offset within its interval: a hash of its
  /// identity, so checks spread over the interval instead of firing together,
  /// and the same check keeps its phase across reloads.
  public var phaseOffset: Duration {
    let nanos =
      interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000
    guard nanos > 0 else { return .zero }
    let h = StableHash.fnv1a64(id.provider + "\u{0}" + id.model)
    return .nanoseconds(Int64(h % UInt64(nanos)))
  }
}

/// FNV-1a: a tiny hash that is the same in every process (unlike `Hasher`).
enum StableHash {
  static func fnv1a64(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 {
      h ^= UInt64(b)
      h &*= 0x0000_0100_0000_01b3
    }
    return h
  }
}
