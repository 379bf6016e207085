import AtalayaCore
import Synchronization

/// Runs every check on its interval, at a stable phase offset, never two runs
/// of one check at once.
///
/// One timer loop inside ``run()`` sleeps until the earliest slot of any check, starts
/// what is due, and sleeps again: an idle check costs a table entry, not a task. A run is
/// a task of its own while it lasts; ``run()`` returns only after every run has ended,
/// so nothing outlives it. After a run the check moves to its next slot in the future
/// (slots missed while a run overran are skipped, not queued).
///
/// A wake-up also starts the checks whose slots fall within ``coalescing`` after it, a
/// little early, so that one wake-up (two thread switches: the timer's and the pool's)
/// serves several probes: 200 probes/s with 10 ms start about three per wake-up. Slots do
/// not move: a check started early keeps its phase, and its next run is a full interval
/// after the slot, not after the early start.
/// ``apply(_:)`` changes the schedule atomically: unchanged checks keep their slots,
/// removed ones are stopped (their run in flight is cancelled), changed ones restart
/// once the old run has ended. Checks applied before ``run()`` starts begin with it.
public final class ProbeScheduler<C: Clock>: Sendable where C.Duration == Duration {
  /// What the scheduler calls for each due check, with how late the start is
  /// against the plan (negative: started early, within ``coalescing``).
  public typealias Run = @Sendable (_ id: CheckID, _ lateness: Duration) async -> Void

  private let clock: C
  private let origin: C.Instant
  private let runCheck: Run
  private let tickInterval: Duration
  /// How far ahead of a wake-up a slot may be and still start with it.
  public let coalescing: Duration
  private let state: Locked<ScheduleState>

  /// - Parameters:
  ///   - clock: the clock slots are planned and slept on.
  ///   - tickInterval: how often the scheduler proves it is alive (see ``isProgressing(maxSilence:stuckGrace:)``).
  ///   - coalescing: slots this close after a wake-up start with it (zero: each at its slot).
  ///   - run: called for each due check.
  public init(
    clock: C, tickInterval: Duration = .seconds(1), coalescing: Duration = .zero,
    run: @escaping Run
  ) {
    self.clock = clock
    self.origin = clock.now
    self.runCheck = run
    self.tickInterval = tickInterval
    self.coalescing = max(.zero, coalescing)
    self.state = Locked(ScheduleState(lastTick: .zero))
  }

  /// The checks currently scheduled.
  public var entries: [ScheduleEntry] {
    state.withLock { $0.jobs.values.map(\.entry) }.sorted { $0.id < $1.id }
  }

  /// How many runs are in progress.
  public var inFlightCount: Int { state.withLock { $0.runs.count } }

  /// Replaces the schedule. Checks whose entry is unchanged keep their slot;
  /// removed checks are stopped; changed ones restart after the old run ends.
  public func apply(_ entries: [ScheduleEntry]) {
    let now = elapsed
    let (cancels, loop) = state.withLock { s in
      s.apply(entries) { nextSlot(for: $0, atOrAfter: now) }
    }
    for task in cancels { task.cancel() }
    startLoop(loop)
  }

  /// Runs the schedule until cancelled or ``stop()``: the timer loop and a tick that
  /// proves liveness. Returns once every run has ended.
  public func run() async {
    await withDiscardingTaskGroup { group in
      group.addTask { await self.tick() }
      await withTaskCancellationHandler {
        startLoop(state.withLock { $0.start() })
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
          if !state.withLock({ $0.waitForEnd(continuation) }) { continuation.resume() }
        }
      } onCancel: {
        self.shutDown()
      }
      group.cancelAll()
    }
    // Every loop has ended, so every run started is attached; the shutdown cancelled
    // them: wait for each to end.
    for task in state.withLock({ $0.runs.values.compactMap(\.task) }) { await task.value }
  }

  /// Stops every check (runs in flight are cancelled) and makes ``run()`` return.
  public func stop() async {
    shutDown()
  }

  /// True while the tick loop has run within `maxSilence` and no run has
  /// been in flight longer than its timeout plus `stuckGrace`: a stalled
  /// scheduler (or a stuck transport) makes this false.
  public func isProgressing(maxSilence: Duration, stuckGrace: Duration = .seconds(5)) -> Bool {
    let now = elapsed
    return state.withLock { s in
      guard now - s.lastTick <= maxSilence else { return false }
      for (_, r) in s.runs where now - r.since > r.timeout + stuckGrace {
        return false
      }
      return true
    }
  }

  /// The time since `origin` (the scheduler's instants).
  private var elapsed: Duration { origin.duration(to: clock.now) }

  /// The first slot of `entry` at or after `instant` (both since `origin`).
  func nextSlot(for entry: ScheduleEntry, atOrAfter instant: Duration) -> Duration {
    let first = entry.phaseOffset
    let elapsed = instant - first
    if elapsed <= .zero { return first }
    let periods = Int64((elapsed / entry.interval).rounded(.up))
    return first + entry.interval * periods
  }

  // MARK: Tasks

  private func shutDown() {
    let (cancels, waiter) = state.withLock { $0.shutDown() }
    for task in cancels { task.cancel() }
    waiter?.resume()
  }

  private func tick() async {
    while !Task.isCancelled {
      let now = elapsed
      state.withLock { $0.lastTick = now }
      do { try await clock.sleep(for: tickInterval) } catch { return }
    }
  }

  /// Starts the loop `start` asks for (cancelling the one it replaces).
  private func startLoop(_ start: ScheduleState.LoopStart?) {
    guard let start else { return }
    start.replaced?.cancel()
    let task = Task { await self.timerLoop(start.generation) }
    if state.withLock({ $0.attachLoop(task, generation: start.generation) }) { task.cancel() }
  }

  /// Starts what is due and sleeps until the earliest slot left, until nothing waits or
  /// a newer loop replaces this one. The loop sleeps on the clock itself: a probe costs
  /// one wake-up here, and a run ending wakes nothing unless its next slot comes first.
  private func timerLoop(_ generation: UInt64) async {
    defer { state.withLock { $0.loopEnded() }?.resume() }
    while true {
      let now = elapsed
      let horizon = now + coalescing
      guard
        let (due, sleepUntil) = state.withLock({
          $0.takeDue(at: now, through: horizon, loop: generation)
        })
      else { return }
      for start in due {
        let lateness = now - start.slot
        let task = Task { await self.execute(start, lateness: lateness) }
        let cancel = state.withLock { $0.attach(task, to: start.entry.id, token: start.token) }
        if cancel { task.cancel() }
      }
      guard let sleepUntil else { return }
      do {
        try await clock.sleep(until: origin.advanced(by: sleepUntil), tolerance: nil)
      } catch { return }
      guard state.withLock({ $0.alarmRang(generation) }) else { return }
    }
  }

  /// One run of one check; then its next slot (and a new loop if that slot comes first).
  private func execute(_ start: ScheduleState.Start, lateness: Duration) async {
    if !Task.isCancelled {
      await runCheck(start.entry.id, lateness)
    }
    let now = elapsed
    let loop = state.withLock { s in
      s.finish(start) { nextSlot(for: $0, atOrAfter: now) }
    }
    startLoop(loop)
  }
}

extension Duration {
  /// `self / other` as a floating-point ratio.
  fileprivate static func / (lhs: Duration, rhs: Duration) -> Double {
    lhs.seconds / rhs.seconds
  }
}
