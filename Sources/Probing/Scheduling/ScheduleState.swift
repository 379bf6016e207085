import AtalayaCore

/// ``ProbeScheduler``'s table: each check's next slot, the runs in flight, the alarm of the
/// timer loop and its wake-up. Pure state held under the scheduler's lock: its methods
/// return the tasks to cancel and the continuation to resume, which the scheduler does
/// once the lock is released.
struct ScheduleState<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
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

  /// A run the loop starts.
  struct Start: Sendable {
    var entry: ScheduleEntry
    var token: UInt64
    var slot: Instant
  }

  /// When the loop's alarm rings, and which arming it is.
  struct Alarm: Sendable {
    var deadline: Instant
    var generation: UInt64
  }

  typealias Wake = CheckedContinuation<Void, Never>

  var jobs: [CheckID: Job] = [:]
  var runs: [CheckID: Running] = [:]
  var lastTick: Instant
  var stopped = false
  /// The armed alarm; nil once it rang (or before the first arming).
  var alarm: Alarm?
  /// A wake-up that came while the loop was busy: its next wait returns at once.
  var woken = false
  /// The loop, waiting to be woken.
  var waiter: Wake?
  private var nextToken: UInt64 = 0
  private var alarmGeneration: UInt64 = 0

  init(lastTick: Instant) {
    self.lastTick = lastTick
  }

  /// Replaces the schedule (see ``ProbeScheduler/apply(_:)``); `slot` plans a new check.
  mutating func apply(_ entries: [ScheduleEntry], slot: (ScheduleEntry) -> Instant)
    -> (cancel: [Task<Void, Never>], wake: Wake?)
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
      jobs[id] = Job(entry: entry, token: nextToken, slot: slot(entry))
    }
    return (cancels, wake())
  }

  /// Marks every due check as running and returns them, with the alarm to arm when the
  /// earliest slot left is earlier than the one armed.
  mutating func takeDue(at now: Instant) -> (due: [Start], rearm: Alarm?) {
    guard !stopped else { return ([], nil) }
    var due: [Start] = []
    var earliest: Instant?
    for (id, job) in jobs where runs[id] == nil {
      if job.slot <= now {
        due.append(Start(entry: job.entry, token: job.token, slot: job.slot))
        runs[id] = Running(token: job.token, since: now, timeout: job.entry.timeout)
      } else if earliest.map({ job.slot < $0 }) ?? true {
        earliest = job.slot
      }
    }
    guard let earliest, alarm.map({ earliest < $0.deadline }) ?? true else { return (due, nil) }
    alarmGeneration += 1
    alarm = Alarm(deadline: earliest, generation: alarmGeneration)
    return (due, alarm)
  }

  /// Records the task of a run just started; true if it must be cancelled at once.
  mutating func attach(_ task: Task<Void, Never>, to id: CheckID, token: UInt64) -> Bool {
    guard var run = runs[id], run.token == token else { return false }  // already ended
    run.task = task
    runs[id] = run
    return run.cancelRequested || stopped
  }

  /// A run ended: its check moves to the next slot in the future (missed slots are
  /// skipped); a check changed meanwhile starts afresh.
  mutating func finish(_ start: Start, slot: (ScheduleEntry) -> Instant) -> Wake? {
    let id = start.entry.id
    if runs[id]?.token == start.token { runs[id] = nil }
    if var job = jobs[id] {
      let after = slot(job.entry)
      if job.token == start.token {
        job.slot = after > start.slot ? after : start.slot.advanced(by: job.entry.interval)
      } else {
        job.slot = after
      }
      jobs[id] = job
    }
    return wake()
  }

  /// The alarm of `generation` rang: wake the loop unless a later arming replaced it.
  mutating func alarmRang(_ generation: UInt64) -> Wake? {
    guard alarm?.generation == generation else { return nil }
    alarm = nil
    return wake()
  }

  /// Stops everything: no run starts any more, the ones in flight are cancelled.
  mutating func shutDown() -> (cancel: [Task<Void, Never>], wake: Wake?) {
    stopped = true
    var cancels: [Task<Void, Never>] = []
    for (id, run) in runs {
      if let task = requestCancel(id, token: run.token) { cancels.append(task) }
    }
    jobs = [:]
    return (cancels, wake())
  }

  private mutating func requestCancel(_ id: CheckID, token: UInt64) -> Task<Void, Never>? {
    guard var run = runs[id], run.token == token else { return nil }
    if let task = run.task { return task }
    run.cancelRequested = true
    runs[id] = run
    return nil
  }

  private mutating func wake() -> Wake? {
    if let waiter {
      self.waiter = nil
      return waiter
    }
    woken = true
    return nil
  }
}
