import AtalayaCore
import HTTPClient
import Logging
import Storage
import Synchronization

/// Delivers notifications durably: every enqueued notification is persisted in
/// the outbox (`state_dir/outbox.json` through ``StateStore``, off the cooperative
/// pool and under no lock; memory only without a state dir) and
/// sent to its receiver until it is delivered, permanently rejected or older
/// than the receiver's `max_age`.
///
/// One worker per receiver sends that receiver's notifications one at a time, in
/// enqueue order (a failing head blocks the ones behind it, so a resolve never
/// overtakes its firing); receivers do not wait for each other. Retries follow
/// ``RetryPolicy`` on the injected clock; the outbox keeps wall times from the
/// injected ``TimeSource``. At start the outbox is loaded and what is owed is sent.
public final class Deliverer<C: Clock>: Sendable where C.Duration == Duration {
  /// Writes one console receiver line (standard output in production).
  public typealias ConsoleWriter = @Sendable (String) -> Void

  /// One receiver's worker, a child task of ``run()``.
  private struct Worker {
    var config: ReceiverConfig
    /// Rung when something is queued for the receiver.
    var bell: AsyncStream<Void>.Continuation
    var bellSignal: AsyncStream<Void>
    /// Finished to stop the worker.
    var stop: AsyncStream<Void>.Continuation
    var stopSignal: AsyncStream<Void>
    var started = false
  }

  private struct State {
    var outbox: Outbox
    var receivers: [String: ReceiverConfig] = [:]
    var counters: [String: DeliveryMetrics.Receiver] = [:]
    var workers: [String: Worker] = [:]
    /// Receivers whose old worker was told to stop and has not ended: the new one waits.
    var stopping: Set<String> = []
    var running = false
    var stopped = false
    /// Bumped on every outbox change; the file is written only when it moved on.
    var generation: UInt64 = 1
    /// Entries queued but not yet durable: no worker sends them until their write succeeded.
    var staged: Set<String> = []
  }

  private enum Next {
    case stop
    case idle
    case wait(Duration)
    case dropped(OutboxEntry, DropReason)
    case send(OutboxEntry, ReceiverConfig)
  }

  private let state: Locked<State>
  private let store: StateStore?
  /// Wakes ``run()`` to start the workers ``apply(receivers:)`` or an ended worker left.
  private let wakeups: AsyncStream<Void>
  private let wake: AsyncStream<Void>.Continuation
  private let transport: any HTTPTransport
  private let clock: C
  private let timeSource: any TimeSource
  private let policy: RetryPolicy
  private let random: @Sendable () -> Double
  private let externalURL: String
  private let console: ConsoleWriter
  private let logger: Logger

  /// - Parameters:
  ///   - receivers: the configured receivers (see ``apply(receivers:)``).
  ///   - outbox: what is owed at start (``StateStore/load(_:now:)`` with
  ///     ``StateDocument/outbox``).
  ///   - store: where the outbox is written, nil to keep it in memory.
  ///   - transport: HTTP for webhook, Slack and Alertmanager receivers.
  ///   - clock: what retries sleep on.
  ///   - timeSource: wall time for the outbox (queue times, max age, latency).
  ///   - random: a source of numbers in [0, 1) for the jitter.
  ///   - externalURL: the webhook payload's `externalURL`.
  ///   - console: where console receivers write their lines.
  public init(
    receivers: [ReceiverConfig], outbox: Outbox = Outbox(), store: StateStore?,
    transport: any HTTPTransport, clock: C,
    timeSource: any TimeSource, policy: RetryPolicy = RetryPolicy(),
    random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
    externalURL: String = "", console: @escaping ConsoleWriter = { print($0) }, logger: Logger
  ) {
    self.store = store
    self.transport = transport
    self.clock = clock
    self.timeSource = timeSource
    self.policy = policy
    self.random = random
    self.externalURL = externalURL
    self.console = console
    self.logger = logger
    self.state = Locked(State(outbox: outbox))
    (wakeups, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    let stops = state.withLock { s in
      s.receivers = Dictionary(receivers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
      return desireWorkers(&s)
    }
    for stop in stops { stop() }
    wake.yield()
  }

  // MARK: Public API

  /// Queues `notifications` durably and wakes their receivers. Returns once the
  /// outbox holding them is written: true when it was (or nothing new was queued),
  /// false when the write failed, in which case none of them is queued (the caller
  /// keeps them owed and tries again). Ids already queued or recently finished are
  /// ignored; notifications for unknown receivers are dropped and counted.
  @discardableResult
  public func enqueue(_ notifications: [AlertNotification]) async -> Bool {
    guard !notifications.isEmpty else { return true }
    let now = timeSource.now()
    let (added, unknown, snapshot) = state.withLock {
      s -> ([AlertNotification], [AlertNotification], (Outbox, UInt64)?) in
      var added: [AlertNotification] = []
      var unknown: [AlertNotification] = []
      for notification in notifications {
        guard s.receivers[notification.receiver] != nil else {
          unknown.append(notification)
          s.counters[notification.receiver, default: .init()].dropped += 1
          continue
        }
        guard s.outbox.enqueue(notification, now: now) else { continue }
        s.staged.insert(notification.id)
        added.append(notification)
      }
      guard !added.isEmpty else { return (added, unknown, nil) }
      s.generation += 1
      return (added, unknown, (s.outbox, s.generation))
    }
    for notification in unknown {
      logger.error(
        "notification for an unknown receiver dropped",
        metadata: ["receiver": "\(notification.receiver)", "notification": "\(notification.id)"])
    }
    guard let snapshot else { return true }
    let durable = await write(snapshot)
    let bells = state.withLock { s -> [AsyncStream<Void>.Continuation] in
      for n in added { s.staged.remove(n.id) }
      guard durable else {
        for n in added { s.outbox.discard(n.id) }
        s.generation += 1
        return []
      }
      return added.compactMap { s.workers[$0.receiver]?.bell }
    }
    for bell in bells { bell.yield() }
    return durable
  }

  /// Replaces the receivers. Unchanged receivers keep delivering undisturbed;
  /// changed ones restart after their attempt in flight; entries owed to removed
  /// receivers are dropped (counted and logged).
  public func apply(receivers: [ReceiverConfig]) async {
    let (dropped, stops) = state.withLock { s -> ([OutboxEntry], [@Sendable () -> Void]) in
      s.receivers = Dictionary(receivers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
      let orphans = s.outbox.entries.filter { s.receivers[$0.receiver] == nil }
      for entry in orphans {
        s.outbox.finish(entry.id)
        s.counters[entry.receiver, default: .init()].dropped += 1
      }
      if !orphans.isEmpty { s.generation += 1 }
      return (orphans, desireWorkers(&s))
    }
    for stop in stops { stop() }
    wake.yield()
    for entry in dropped { logDrop(entry, reason: .receiverRemoved, url: "(removed)") }
    if !dropped.isEmpty { await persist() }
  }

  /// Delivers until cancelled: every receiver's worker is a child task of this call.
  /// Then the workers stop and this returns once they ended (an attempt cut short by the
  /// shutdown stays owed). Call it once.
  public func run() async {
    let started = state.withLock { s -> Bool in
      guard !s.running, !s.stopped else { return false }
      s.running = true
      return true
    }
    guard started else { return }
    await withDiscardingTaskGroup { group in
      await withTaskCancellationHandler {
        for await _ in wakeups {
          for (name, bell, stop) in startableWorkers() {
            group.addTask { await self.worker(name, bell: bell, stopSignal: stop) }
          }
        }
      } onCancel: {
        self.wake.finish()
      }
      let stops = state.withLock { s -> [@Sendable () -> Void] in
        s.stopped = true
        s.running = false
        let stops = s.workers.values.map(Self.stopper)
        s.workers = [:]
        return stops
      }
      for stop in stops { stop() }
      group.cancelAll()
    }
    await persist()
  }

  /// Counters, queue lengths and latency per receiver (configured or with history).
  public var metrics: DeliveryMetrics {
    state.withLock { s in
      var metrics = DeliveryMetrics()
      for name in s.receivers.keys { metrics.receivers[name] = s.counters[name] ?? .init() }
      for (name, counters) in s.counters { metrics.receivers[name] = counters }
      for entry in s.outbox.entries {
        metrics.receivers[entry.receiver, default: .init()].queueLength += 1
      }
      return metrics
    }
  }

  /// Everything owed, oldest first.
  public var owed: [OutboxEntry] { state.withLock { $0.outbox.entries } }

  /// The number of notifications owed (all receivers).
  public var queueLength: Int { state.withLock { $0.outbox.entries.count } }

  // MARK: Workers

  /// Makes the wanted workers match the receivers: a new worker for each receiver without
  /// one, a fresh one (started once the old one ended) for each changed receiver, none for
  /// removed ones. Returns what stops the replaced workers, to call outside the lock.
  private func desireWorkers(_ s: inout State) -> [@Sendable () -> Void] {
    var stops: [@Sendable () -> Void] = []
    for (name, worker) in s.workers where s.receivers[name] != worker.config {
      stops.append(Self.stopper(worker))
      if worker.started { s.stopping.insert(name) }
      s.workers[name] = nil
    }
    for (name, config) in s.receivers where s.workers[name] == nil {
      let (bellSignal, bell) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
      let (stopSignal, stop) = AsyncStream<Void>.makeStream()
      s.workers[name] = Worker(
        config: config, bell: bell, bellSignal: bellSignal, stop: stop, stopSignal: stopSignal)
    }
    return stops
  }

  private static func stopper(_ worker: Worker) -> @Sendable () -> Void {
    let (bell, stop) = (worker.bell, worker.stop)
    return {
      bell.finish()
      stop.finish()
    }
  }

  /// The workers to start now: wanted, not started, not waiting for an old one to end.
  private func startableWorkers() -> [(String, AsyncStream<Void>, AsyncStream<Void>)] {
    state.withLock { s in
      guard s.running, !s.stopped else { return [] }
      var ready: [(String, AsyncStream<Void>, AsyncStream<Void>)] = []
      for (name, worker) in s.workers where !worker.started && !s.stopping.contains(name) {
        s.workers[name]?.started = true
        ready.append((name, worker.bellSignal, worker.stopSignal))
      }
      return ready
    }
  }

  /// One receiver's worker until its stop signal (or the run's cancellation).
  private func worker(_ name: String, bell: AsyncStream<Void>, stopSignal: AsyncStream<Void>)
    async
  {
    await withTaskGroup(of: Void.self) { inner in
      inner.addTask { await self.work(name, bell: bell) }
      inner.addTask { for await _ in stopSignal {} }
      await inner.next()
      inner.cancelAll()
    }
    state.withLock { _ = $0.stopping.remove(name) }
    wake.yield()
  }

  private func work(_ name: String, bell: AsyncStream<Void>) async {
    var wakeups = bell.makeAsyncIterator()
    while !Task.isCancelled {
      let now = timeSource.now()
      switch state.withLock({ next(&$0, name, now) }) {
      case .stop:
        return
      case .idle:
        if await wakeups.next() == nil { return }
      case .wait(let duration):
        do { try await clock.sleep(for: duration) } catch { return }
      case .dropped(let entry, let reason):
        logDrop(
          entry, reason: reason, url: state.withLock { $0.receivers[name]?.redactedURL } ?? "")
        await persist()
      case .send(let entry, let config):
        await attempt(entry, config)
      }
    }
  }

  private func next(_ s: inout State, _ name: String, _ now: Timestamp) -> Next {
    guard let config = s.receivers[name] else { return .stop }
    guard let head = s.outbox.head(of: name), !s.staged.contains(head.id) else { return .idle }
    switch DeliveryStateMachine.step(head, now: now, maxAge: config.maxAge) {
    case .send:
      return .send(head, config)
    case .wait(let until):
      return .wait(max(.milliseconds(1), until - now))
    case .drop(let reason):
      s.outbox.finish(head.id)
      s.counters[name, default: .init()].dropped += 1
      s.generation += 1
      return .dropped(head, reason)
    }
  }

  private func attempt(_ entry: OutboxEntry, _ config: ReceiverConfig) async {
    let result: AttemptResult
    if config.kind == .console {
      for line in ConsolePayload.lines(entry.notification) { console(line) }
      result = .delivered
    } else {
      let requests = ReceiverRequest.requests(
        entry.notification, receiver: config, externalURL: externalURL, now: timeSource.now())
      if requests.isEmpty {
        result = .permanent(reason: "no url configured")
      } else {
        // Several requests (PagerDuty: one event per alert) make one attempt: delivered once
        // all are, in order; a failure stops there and the next attempt sends them all again
        // (each event is idempotent through its dedup_key).
        var outcome = AttemptResult.delivered
        for (index, request) in requests.enumerated() {
          let response = await transport.send(request)
          outcome =
            (request.mail != nil
            ? AttemptResult.classifySMTP(response)
            : AttemptResult.classify(response, now: timeSource.now())).redacted(by: config.redactor)
          guard outcome == .delivered else { break }
          // Cut short between requests: the rest is unsent, so the whole stays owed.
          if Task.isCancelled && index < requests.count - 1 { return }
        }
        result = outcome
      }
    }
    // A shutdown or reconfiguration cut the attempt short: it stays owed as it was.
    if Task.isCancelled && result != .delivered { return }
    let now = timeSource.now()
    let transition = DeliveryStateMachine.after(
      entry, result: result, now: now, policy: policy, random: random())
    let applied = state.withLock { s -> Bool in
      guard s.outbox.head(of: config.name)?.id == entry.id else { return false }
      var counters = s.counters[config.name, default: .init()]
      switch transition {
      case .delivered(let latency):
        s.outbox.finish(entry.id)
        counters.sent += 1
        counters.latency.observe(latency.seconds)
      case .retry(let updated):
        s.outbox.update(updated)
        counters.failed += 1
      case .dropped:
        s.outbox.finish(entry.id)
        counters.failed += 1
        counters.dropped += 1
      }
      s.counters[config.name] = counters
      s.generation += 1
      return true
    }
    guard applied else { return }
    await persist()
    log(transition, entry: entry, config: config, now: now)
  }

  // MARK: Logging

  private func log(
    _ transition: DeliveryTransition, entry: OutboxEntry, config: ReceiverConfig, now: Timestamp
  ) {
    var metadata: Logger.Metadata = [
      "receiver": "\(config.name)", "url": "\(config.redactedURL)",
      "notification": "\(entry.id)", "status": "\(entry.notification.status.rawValue)",
      "alerts": "\(entry.notification.alerts.count)",
    ]
    switch transition {
    case .delivered(let latency):
      metadata["latency_seconds"] = "\(NumberText.fixed(latency.seconds, 3))"
      logger.info("notification delivered", metadata: metadata)
    case .retry(let updated):
      metadata["attempt"] = "\(updated.attempts)"
      metadata["error"] = "\(config.redactor.redact(updated.lastError ?? ""))"
      metadata["retry_in_seconds"] = "\(NumberText.fixed((updated.nextAttemptAt - now).seconds, 3))"
      logger.warning("notification delivery failed; will retry", metadata: metadata)
    case .dropped(let reason):
      logDrop(entry, reason: reason, url: config.redactedURL, redactor: config.redactor)
    }
  }

  private func logDrop(
    _ entry: OutboxEntry, reason: DropReason, url: String,
    redactor: Redactor = Redactor(secrets: [])
  ) {
    logger.error(
      "notification dropped",
      metadata: [
        "receiver": "\(entry.receiver)", "url": "\(url)", "notification": "\(entry.id)",
        "reason": "\(redactor.redact(reason.description))", "attempts": "\(entry.attempts)",
      ])
  }

  // MARK: Persistence

  /// Writes the outbox as it is now (a newer snapshot is never replaced by an older one).
  private func persist() async {
    let snapshot = state.withLock { ($0.outbox, $0.generation) }
    await write(snapshot)
  }

  /// Encodes outside the lock and writes through the store; true when durable.
  @discardableResult
  private func write(_ snapshot: (Outbox, UInt64)) async -> Bool {
    guard let store else { return true }
    return await store.write(
      StateFileName.outbox, snapshot.0.encode(), generation: snapshot.1)
  }
}

extension StateDocument where Value == Outbox {
  /// `outbox.json`: the notifications owed to receivers.
  public static var outbox: Self {
    StateDocument(
      fileName: StateFileName.outbox, what: "notification outbox", format: Outbox.format,
      version: Outbox.currentVersion
    ) { bytes, _ in try Outbox.decode(bytes) }
  }
}
