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
/// ``apply(_:)`` changes the schedule atomically: unchanged checks keep their slots,
/// removed ones are stopped (their run in flight is cancelled), changed ones restart
/// once the old run has ended. Checks applied before ``run()`` starts begin with it.
public final class ProbeScheduler<C: Clock>: Sendable where C.Duration == Duration {
  /// What the scheduler calls for each due check, with how late the start is
  /// against the plan.
  public typealias Run = @Sendable (_ id: CheckID, _ lateness: Duration) async -> Void

  private let clock: C
  private let origin: C.Instant
  private let runCheck: Run
  private let tickInterval: Duration
  private let state: Locked<ScheduleState<C.Instant>>

  /// - Parameters:
  ///   - clock: the clock slots are planned and slept on.
  ///   - tickInterval: how often the scheduler proves it is alive (see ``isProgressing(maxSilence:stuckGrace:)``).
  ///   - run: called for each due check.
  public init(clock: C, tickInterval: Duration = .seconds(1), run: @escaping Run) {
    self.clock = clock
    self.origin = clock.now
    self.runCheck = run
    self.tickInterval = tickInterval
    self.state = Locked(ScheduleState(lastTick: clock.now))
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
    let now = clock.now
    let (cancels, wake) = state.withLock { s in
      s.apply(entries) { nextSlot(for: $0, atOrAfter: now) }
    }
    for task in cancels { task.cancel() }
    wake?.resume()
  }

  /// Runs the schedule until cancelled or ``stop()``: the timer loop and a tick that
  /// proves liveness. Returns once every run has ended.
  public func run() async {
    await withDiscardingTaskGroup { group in
      group.addTask { await self.tick() }
      await withTaskCancellationHandler {
        await timerLoop()
      } onCancel: {
        self.shutDown()
      }
      group.cancelAll()
    }
    // Runs in flight were cancelled by the shutdown; wait for each to end.
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
    let now = clock.now
    return state.withLock { s in
      guard s.lastTick.duration(to: now) <= maxSilence else { return false }
      for (_, r) in s.runs where r.since.duration(to: now) > r.timeout + stuckGrace {
        return false
      }
      return true
    }
  }

  /// The first slot of `entry` at or after `instant`.
  func nextSlot(for entry: ScheduleEntry, atOrAfter instant: C.Instant) -> C.Instant {
    let first = origin.advanced(by: entry.phaseOffset)
    let elapsed = first.duration(to: instant)
    if elapsed <= .zero { return first }
    let periods = Int64((elapsed / entry.interval).rounded(.up))
    return first.advanced(by: entry.interval * periods)
  }

  // MARK: Tasks

  private func shutDown() {
    let (cancels, wake) = state.withLock { $0.shutDown() }
    for task in cancels { task.cancel() }
    wake?.resume()
  }

  private func tick() async {
    while !Task.isCancelled {
      state.withLock { $0.lastTick = clock.now }
      do { try await clock.sleep(for: tickInterval) } catch { return }
    }
  }

  /// Starts what is due, arms the alarm for the earliest slot left, and waits to be
  /// woken (by the alarm, ``apply(_:)``, an ended run or the shutdown).
  private func timerLoop() async {
    var alarm: Task<Void, Never>?
    while await nextWake() {
      let now = clock.now
      let (due, rearm) = state.withLock { $0.takeDue(at: now) }
      for start in due {
        let lateness = start.slot.duration(to: now)
        let task = Task { await self.execute(start, lateness: lateness) }
        let cancel = state.withLock { $0.attach(task, to: start.entry.id, token: start.token) }
        if cancel { task.cancel() }
      }
      if let rearm {
        alarm?.cancel()
        alarm = Task { [clock] in
          do { try await clock.sleep(until: rearm.deadline, tolerance: nil) } catch { return }
          self.alarmRang(rearm.generation)
        }
      }
    }
    alarm?.cancel()
    await alarm?.value
  }

  /// Suspends until woken; false once the scheduler is shut down.
  private func nextWake() async -> Bool {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let now = state.withLock { s -> Bool in
        if s.woken || s.stopped {
          s.woken = false
          return true
        }
        s.waiter = continuation
        return false
      }
      if now { continuation.resume() }
    }
    return !state.withLock { $0.stopped }
  }

  private func alarmRang(_ generation: UInt64) {
    state.withLock { $0.alarmRang(generation) }?.resume()
  }

  /// One run of one check; then its next slot, and a wake for the loop.
  private func execute(_ start: ScheduleState<C.Instant>.Start, lateness: Duration) async {
    if !Task.isCancelled {
      await runCheck(start.entry.id, lateness)
    }
    let now = clock.now
    let wake = state.withLock { s in
      s.finish(start) { nextSlot(for: $0, atOrAfter: now) }
    }
    wake?.resume()
  }
}

extension Duration {
  /// `self / other` as a floating-point ratio.
  fileprivate static func / (lhs: Duration, rhs: Duration) -> Double {
    lhs.seconds / rhs.seconds
  }
}
