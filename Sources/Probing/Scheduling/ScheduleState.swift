import AtalayaCore
import HeapModule

/// ``ProbeScheduler``'s table: each check's next slot, the runs in flight and the timer
/// loop. Pure state held under the scheduler's lock: its methods
/// return the tasks to cancel and the continuation to resume, which the scheduler does
/// once the lock is released.
///
/// Times are durations since the scheduler's origin, so the state is concrete whatever
/// the clock (generic code here ran through runtime metadata on every probe).
struct ScheduleState: Sendable {
  /// A point in time: the duration since the scheduler's origin.
  typealias Instant = Duration

  /// A check as scheduled.
  struct Job: Sendable {
    var entry: ScheduleEntry
    /// Tells this job from a later one of the same check (after a reload changed it).
    var token: UInt64
    /// The next slot; while a run is in flight, the slot that run started for.
    var slot: Instant
  }

  /// A run in flight.
  struct Running: Sendable {
    var token: UInt64
    var since: Instant
    var timeout: Duration
    /// Attached right after the loop created it.
    var task: Task<Void, Never>?
    /// Cancelled before its task was attached: cancel it when it is.
    var cancelRequested = false
  }

  /// A job's slot in ``queue``; stale once the job moved on (other slot or token).
  struct Queued: Comparable, Sendable {
    var slot: Instant
    var token: UInt64
    var id: CheckID

    static func < (a: Self, b: Self) -> Bool { (a.slot, a.token) < (b.slot, b.token) }
    static func == (a: Self, b: Self) -> Bool { a.slot == b.slot && a.token == b.token }
  }

  /// A run the loop starts.
  struct Start: Sendable {
    var entry: ScheduleEntry
    var token: UInt64
    var slot: Instant
  }

  /// The timer loop: a task that starts what is due and sleeps until the earliest slot
  /// left. One loop at a time; a loop whose generation is not the current one ends.
  enum Loop: Sendable, Equatable {
    /// No loop task: nothing waits for a slot (every check is in flight, or none exists).
    case idle
    /// The loop of `generation` is about to read the table.
    case pumping(generation: UInt64)
    /// The loop of `generation` sleeps until `deadline`.
    case sleeping(deadline: Instant, generation: UInt64)
  }

  /// A loop task to start, and the one it replaces (to cancel).
  struct LoopStart: Sendable {
    var generation: UInt64
    var replaced: Task<Void, Never>?
  }

  var jobs: [CheckID: Job] = [:]
  var runs: [CheckID: Running] = [:]
  /// Every job's next slot, earliest first (entries of removed or moved jobs are dropped
  /// when they come up): an alarm reads what is due without scanning every check.
  private var queue = Heap<Queued>()
  var lastTick: Instant
  /// True once the scheduler runs (checks applied before wait for it).
  var started = false
  var stopped = false
  var loop = Loop.idle
  /// The task of the current loop (attached right after it is created).
  var loopTask: Task<Void, Never>?
  /// Loop tasks started and not yet ended (a replaced loop ends on its own).
  var liveLoops = 0
  /// ``ProbeScheduler/run()``, waiting for the shutdown and the last loop to end.
  var stopWaiter: CheckedContinuation<Void, Never>?
  private var nextToken: UInt64 = 0
  private var loopGeneration: UInt64 = 0

  init(lastTick: Instant) {
    self.lastTick = lastTick
  }

  /// Replaces the schedule (see ``ProbeScheduler/apply(_:)``); `slot` plans a new check.
  mutating func apply(_ entries: [ScheduleEntry], slot: (ScheduleEntry) -> Instant)
    -> (cancel: [Task<Void, Never>], loop: LoopStart?)
  {
    guard !stopped else { return ([], nil) }
    let wanted = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var cancels: [Task<Void, Never>] = []
    for (id, job) in jobs where wanted[id] != job.entry {
      jobs[id] = nil
      if let task = requestCancel(id, token: job.token) { cancels.append(task) }
    }
    for (id, entry) in wanted where jobs[id] == nil {
      nextToken += 1
      let job = Job(entry: entry, token: nextToken, slot: slot(entry))
      jobs[id] = job
      queue.insert(Queued(slot: job.slot, token: job.token, id: id))
    }
    return (cancels, restartLoop())
  }

  /// The scheduler starts running: the first loop.
  mutating func start() -> LoopStart? {
    guard !started else { return nil }
    started = true
    return restartLoop()
  }

  /// For the loop of `generation` at `now`: marks every check whose slot is at or before
  /// `horizon` (`now` unless the scheduler coalesces) as running and returns them, with
  /// the earliest slot left to sleep until (nil: nothing waits, the loop ends). Nil when
  /// that loop was replaced or the scheduler stopped: it ends.
  mutating func takeDue(at now: Instant, through horizon: Instant? = nil, loop generation: UInt64)
    -> (
      due: [Start], sleepUntil: Instant?
    )?
  {
    guard !stopped, loop == .pumping(generation: generation) else { return nil }
    var due: [Start] = []
    let horizon = max(now, horizon ?? now)
    while let next = queue.min, next.slot <= horizon {
      queue.removeMin()
      guard let job = waiting(next) else { continue }
      due.append(Start(entry: job.entry, token: job.token, slot: job.slot))
      runs[next.id] = Running(token: job.token, since: now, timeout: job.entry.timeout)
    }
    while let next = queue.min, waiting(next) == nil { queue.removeMin() }
    let earliest = queue.min?.slot
    if let earliest {
      loop = .sleeping(deadline: earliest, generation: generation)
    } else {
      loop = .idle
      loopTask = nil
    }
    return (due, earliest)
  }

  /// The loop of `generation` woke at its deadline: true if it is still the loop.
  mutating func alarmRang(_ generation: UInt64) -> Bool {
    guard case .sleeping(_, generation) = loop, !stopped else { return false }
    loop = .pumping(generation: generation)
    return true
  }

  /// Records the task of the loop of `generation`; true if it must be cancelled at once
  /// (replaced meanwhile, or stopped).
  mutating func attachLoop(_ task: Task<Void, Never>, generation: UInt64) -> Bool {
    guard !stopped, generation == loopGeneration else { return true }
    if loop != .idle { loopTask = task }
    return false
  }

  /// Records the task of a run just started; true if it must be cancelled at once.
  mutating func attach(_ task: Task<Void, Never>, to id: CheckID, token: UInt64) -> Bool {
    guard var run = runs[id], run.token == token else { return false }  // already ended
    run.task = task
    runs[id] = run
    return run.cancelRequested || stopped
  }

  /// A run ended: its check moves to the next slot in the future (missed slots are
  /// skipped); a check changed meanwhile starts afresh. A new loop starts only when that
  /// slot comes before the one the loop sleeps until (or no loop runs): usually the
  /// loop sleeps on undisturbed.
  mutating func finish(_ start: Start, slot: (ScheduleEntry) -> Instant) -> LoopStart? {
    let id = start.entry.id
    if runs[id]?.token == start.token { runs[id] = nil }
    guard var job = jobs[id] else { return nil }
    let after = slot(job.entry)
    if job.token == start.token {
      job.slot = after > start.slot ? after : start.slot + job.entry.interval
    } else {
      job.slot = after
    }
    jobs[id] = job
    queue.insert(Queued(slot: job.slot, token: job.token, id: id))
    return restartLoop(before: job.slot)
  }

  /// The job `entry` stands for, nil when the entry is stale — or when the old run of a
  /// check changed meanwhile is still in flight: that run's end queues the job again
  /// (at its next slot from then), and until then nothing waits for it.
  private func waiting(_ entry: Queued) -> Job? {
    guard let job = jobs[entry.id], job.token == entry.token, job.slot == entry.slot,
      runs[entry.id] == nil
    else { return nil }
    return job
  }

  /// Stops everything: no run starts any more, the ones in flight are cancelled.
  mutating func shutDown() -> (
    cancel: [Task<Void, Never>], waiter: CheckedContinuation<Void, Never>?
  ) {
    stopped = true
    var cancels: [Task<Void, Never>] = []
    for (id, run) in runs {
      if let task = requestCancel(id, token: run.token) { cancels.append(task) }
    }
    if let loopTask { cancels.append(loopTask) }
    loopTask = nil
    loop = .idle
    jobs = [:]
    queue = Heap()
    return (cancels, liveLoops == 0 ? takeStopWaiter() : nil)
  }

  /// A loop task ended: resumes ``ProbeScheduler/run()`` if it was the last after a stop.
  mutating func loopEnded() -> CheckedContinuation<Void, Never>? {
    liveLoops -= 1
    return stopped && liveLoops == 0 ? takeStopWaiter() : nil
  }

  /// Waits for the end (false: already there, do not wait).
  mutating func waitForEnd(_ continuation: CheckedContinuation<Void, Never>) -> Bool {
    guard !stopped || liveLoops > 0 else { return false }
    stopWaiter = continuation
    return true
  }

  private mutating func takeStopWaiter() -> CheckedContinuation<Void, Never>? {
    defer { stopWaiter = nil }
    return stopWaiter
  }

  private mutating func requestCancel(_ id: CheckID, token: UInt64) -> Task<Void, Never>? {
    guard var run = runs[id], run.token == token else { return nil }
    if let task = run.task { return task }
    run.cancelRequested = true
    runs[id] = run
    return nil
  }

  /// A new loop when a slot at `slot` (nil: any slot) might come before the one the
  /// current loop sleeps until; nil when the current loop will see it anyway.
  private mutating func restartLoop(before slot: Instant? = nil) -> LoopStart? {
    guard started, !stopped else { return nil }
    switch loop {
    case .pumping: return nil
    case .sleeping(let deadline, _) where slot.map({ deadline <= $0 }) ?? false: return nil
    case .idle, .sleeping:
      loopGeneration += 1
      liveLoops += 1
      loop = .pumping(generation: loopGeneration)
      defer { loopTask = nil }
      return LoopStart(generation: loopGeneration, replaced: loopTask)
    }
  }
}
