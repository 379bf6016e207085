import AtalayaCore

/// Wall time that moves with a ``ManualClock``: `origin` plus the clock's offset,
/// for code that sleeps on a clock and stamps records with a ``TimeSource``.
public struct ManualClockTimeSource: TimeSource {
  public let clock: ManualClock
  public let origin: Timestamp

  public init(clock: ManualClock, origin: Timestamp = Timestamp(seconds: 1_800_000_000)) {
    self.clock = clock
    self.origin = origin
  }

  public func now() -> Timestamp { origin + clock.now.offset }
}
