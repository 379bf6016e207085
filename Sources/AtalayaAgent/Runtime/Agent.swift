import Alerting
import AtalayaCore
import Logging
import Probing
import Server
import ServiceLifecycle
import Storage
import Synchronization
import Systemd

/// The composition root: builds every store and service from one configuration and
/// runs them in one `ServiceGroup`.
///
/// Data flows one way: the probe service's outcomes go into ``HealthStore`` and
/// ``CostTracker``; the alert evaluation reads those and writes ``AlertStore`` and the
/// ``Deliverer``'s outbox; the presenters read all of them. Services never call back
/// into each other or into the agent. Time comes from the injected clock (sleeps) and
/// ``TimeSource`` (timestamps), so a test can run the whole agent on a manual clock.
public final class Agent<C: Clock>: Sendable where C.Duration == Duration {
  /// How the agent is built: its clock, time, transport, notifier and environment.
  public struct Settings: Sendable {
    /// Reads the configuration again on reload (the file; blocking, run off the pool).
    public var configSource: ReloadService.ConfigSource
    /// The process environment, read once at start.
    public var environment: [String: String]
    /// What every service sleeps on.
    public var clock: C
    /// Wall time for timestamps (windows, outbox, alerts).
    public var time: any TimeSource
    public var prober: Prober
    public var notifier: SystemdNotifier
    public var logger: Logger
    /// Where console receivers write.
    public var console: @Sendable (String) -> Void = { print($0) }
    /// Called after each recorded probe outcome.
    public var onOutcome: (@Sendable (ProbeOutcome) -> Void)?
    /// Called when a reload request joins the queue (tests).
    public var onReloadQueued: (@Sendable () -> Void)?
    /// Called after each alert evaluation.
    public var onEvaluation: (@Sendable (AlertEvaluationService<C>.Evaluation) -> Void)?
    /// The file operations behind every state file.
    public var stateFiles: any StateFileSystem = DiskStateFileSystem()
    /// Where state files and the config are read and written.
    public var io: BlockingIO = .shared
    /// Whether SIGTERM/SIGINT shut the agent down and SIGHUP reloads it (the real
    /// process); in-process agents (tests) leave the process's signals alone.
    public var handlesSignals = true
    /// Whether the agent gives back start-up-only code pages after READY=1 and after each
    /// reload (``StartupPages``; `atalaya run`, unless `ATALAYA_RELEASE_PAGES=0`).
    public var releasesStartupPages = false
    /// How often health and cost are saved.
    public var saveInterval: Duration = .seconds(60)
    /// Checks due this close after a scheduler wake-up start with it (see
    /// ``ProbeScheduler/coalescing``): fewer wake-ups, the same slots.
    public var scheduleCoalescing: Duration = .milliseconds(10)
    /// How long graceful shutdown may take before tasks are cancelled.
    public var shutdownGrace: Duration = .seconds(4)
    /// The HTTP server's idle timeout and connection cap.
    public var serverLimits = ServerLimits()
    /// Delivery retries and their jitter source.
    public var retryPolicy = RetryPolicy()
    public var random: @Sendable () -> Double = { Double.random(in: 0..<1) }

    public init(
      configSource: @escaping ReloadService.ConfigSource, environment: [String: String],
      clock: C, time: any TimeSource, prober: Prober, notifier: SystemdNotifier, logger: Logger
    ) {
      self.configSource = configSource
      self.environment = environment
      self.clock = clock
      self.time = time
      self.prober = prober
      self.notifier = notifier
      self.logger = logger
    }
  }

  public let settings: Settings
  /// The generation in force.
  public let current: CurrentConfig
  public let health: HealthStore
  public let cost: CostTracker
  /// Uptime buckets, incidents and SLOs.
  public let history: HistoryStore
  /// The routes' memory (disable_for, declared limits, last choices).
  public let routes: RouteStore
  /// The live event stream.
  public let events: EventHub
  public let alerts: AlertStore
  /// The silences made through the API.
  public let silences: SilenceStore
  public let deliverer: Deliverer<C>
  public let store: StateStore
  public let readiness: Readiness
  public let probes: ProbeService<C>
  public let evaluation: AlertEvaluationService<C>
  public let reloader: ReloadService
  public let presenter: AgentPresenter<C>
  /// The running group, and whether a shutdown was asked for before it existed.
  private let group = Locked<(running: ServiceGroup?, shutdownRequested: Bool)>((nil, false))
  private let startedAt: Timestamp

  /// Builds the agent for `config` and restores its state files (a corrupt one is set
  /// aside and logged, never fatal).
  public static func make(config: AtalayaConfig, settings: Settings) async -> Agent {
    let store = StateStore(
      directory: config.stateDir, io: settings.io, files: settings.stateFiles,
      logger: settings.logger)
    let now = settings.time.now()
    let unclean = await store.beginRun(now: now)
    var snapshot = await store.load(.health, now: now)
    var ledger = await store.load(.cost(config: config), now: now)
    let history = await store.load(.history, now: now)
    if unclean, snapshot != nil || ledger != nil {
      // The files are up to one save interval older than what Prometheus last read.
      settings.logger.warning(
        "the last run did not stop cleanly: windows and budgets are restored, counters start from zero"
      )
      snapshot = snapshot?.withCountersReset()
      ledger?.resetCounters()
    }
    var engine = await store.load(.alerts, now: now) ?? AlertEngine()
    engine.generatorURL = "http://\(config.listen)/api/v1/alerts"
    let outbox = await store.load(.outbox, now: now) ?? Outbox()
    let loaded = await store.load(.silences, now: now)
    for problem in loaded?.skipped ?? [] {
      settings.logger.error(
        "a silence in silences.json is unusable and was skipped",
        metadata: ["problem": "\(problem)"])
    }
    let silences = loaded?.book ?? SilenceBook()
    if !outbox.entries.isEmpty {
      settings.logger.info(
        "notifications owed from the last run", metadata: ["owed": "\(outbox.entries.count)"])
    }
    return Agent(
      config: config, settings: settings, store: store, snapshot: snapshot, ledger: ledger,
      history: history, engine: engine, outbox: outbox, silences: silences)
  }

  private init(
    config: AtalayaConfig, settings: Settings, store: StateStore, snapshot: HealthSnapshot?,
    ledger: CostLedger?, history saved: HistorySnapshot?, engine: AlertEngine, outbox: Outbox,
    silences: SilenceBook
  ) {
    let logger = settings.logger
    self.settings = settings
    self.store = store
    startedAt = settings.time.now()
    current = CurrentConfig(ConfigGeneration(number: 1, config: config))
    health = HealthStore(config: config, prober: settings.prober)
    if let snapshot {
      let n = health.restore(snapshot)
      logger.info("restored health of \(n) checks")
    }
    cost = CostTracker(config: config)
    if let ledger { cost.adopt(ledger, config: config) }
    history = HistoryStore(config: config)
    routes = RouteStore(config: config)
    events = EventHub(
      firstID: UInt64(max(1, Int(saturating: settings.time.now().seconds * 1000))),
      maxSubscribers: config.events.maxSubscribers)
    if let saved {
      history.restore(saved)
      logger.info(
        "restored history", metadata: ["incidents": "\(saved.incidents.incidents.count)"])
    }
    alerts = AlertStore(engine)
    self.silences = SilenceStore(silences, store: store)
    deliverer = Deliverer(
      receivers: config.alerting.receivers, outbox: outbox, store: store,
      transport: settings.prober.transport, clock: settings.clock, timeSource: settings.time,
      policy: settings.retryPolicy, random: settings.random,
      externalURL: "http://\(config.listen)", console: settings.console, logger: logger)
    let health = self.health
    let time = settings.time
    let releasePages = Self.pageRelease(settings)
    readiness = Readiness(
      notifier: settings.notifier, statusLine: { health.statusLine(at: time.now()) },
      onReady: { releasePages(true) })
    probes = ProbeService(
      clock: settings.clock, coalescing: settings.scheduleCoalescing, current: current,
      readiness: readiness,
      run: ProbeRun(
        health: health, cost: cost, history: history, events: events, prober: settings.prober,
        time: time,
        readiness: readiness,
        notifier: settings.notifier, logger: logger, observer: settings.onOutcome))
    evaluation = AlertEvaluationService(
      clock: settings.clock, time: time, current: current, health: health, cost: cost,
      history: history, routes: routes, events: events, alerts: alerts,
      silences: self.silences, deliverer: deliverer, store: store,
      logger: logger,
      onEvaluation: settings.onEvaluation)
    let (cost, deliverer, probes, current) = (self.cost, self.deliverer, self.probes, self.current)
    let (history, routes, events) = (self.history, self.routes, self.events)
    reloader = ReloadService(
      source: settings.configSource,
      apply: { generation in
        let config = generation.config
        health.apply(config)
        cost.apply(config)
        history.apply(config, at: time.now())
        routes.apply(config)
        events.configure(maxSubscribers: config.events.maxSubscribers)
        events.publish(
          .configReloaded, .members([("generation", .number(Double(generation.number)))]),
          at: time.now())
        await deliverer.apply(receivers: config.alerting.receivers)
        probes.apply(config)
        current.publish(generation)
        releasePages(false)
      },
      current: current, io: settings.io, time: time, notifier: settings.notifier,
      statusLine: { health.statusLine(at: time.now()) }, trapsSIGHUP: settings.handlesSignals,
      onQueued: settings.onReloadQueued, logger: logger)
    presenter = AgentPresenter(
      time: time, startedAt: startedAt, health: health, cost: cost, history: history,
      routes: routes, events: events, alerts: alerts, silences: self.silences,
      deliverer: deliverer, store: store, readiness: readiness, reloader: reloader,
      current: current)
  }

  /// The configuration in force.
  public var config: AtalayaConfig { current.config }

  /// Runs every service until SIGTERM/SIGINT (when ``Settings/handlesSignals``) or
  /// ``shutdown()``. `extraServices` run alongside (the demo's console);
  /// `onListening` receives the bound port once the HTTP listener is up.
  public func run(
    extraServices: [any Service] = [],
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) async throws {
    let config = self.config
    let logger = settings.logger
    let readiness = self.readiness
    let app = AtalayaHTTPServer.makeApplication(
      endpoints: presenter, listen: config.listen, limits: settings.serverLimits, logger: logger,
      onListening: { port in
        readiness.listening()
        await onListening(port)
      })
    let client = AccountClient(transport: settings.prober.transport)
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
    for s in extraServices { services.append(.init(service: s)) }
    services.append(.init(service: app))
    services.append(
      .init(
        service: PersistenceService(
          clock: settings.clock, time: settings.time, interval: settings.saveInterval,
          health: health, cost: cost, history: history, store: store)))
    services.append(
      .init(
        service: AccountPollService(
          clock: settings.clock, time: settings.time, current: current, cost: cost,
          client: client, logger: logger)))
    services.append(
      .init(
        service: PriceRefreshService(
          clock: settings.clock, current: current, cost: cost, client: client, logger: logger)))
    // Delivery before evaluation: on shutdown the evaluation stops (and saves) first.
    services.append(.init(service: DeliveryService(deliverer: deliverer)))
    services.append(.init(service: probes))
    services.append(.init(service: evaluation))
    if let interval = SystemdNotifier.watchdogInterval(environment: settings.environment) {
      logger.info("systemd watchdog enabled", metadata: ["interval": "\(interval)"])
      let scheduler = probes.scheduler
      let maxSilence = max(interval / 2, .seconds(3))
      services.append(
        .init(
          service: WatchdogService(
            notifier: settings.notifier, interval: interval,
            isProgressing: { scheduler.isProgressing(maxSilence: maxSilence) },
            clock: settings.clock)))
    }
    services.append(
      .init(
        service: EventKeepAliveService(clock: settings.clock, interval: .seconds(15), hub: events)))
    services.append(.init(service: reloader))
    services.append(
      .init(service: StoppingNotifierService(notifier: settings.notifier, logger: logger)))

    var groupConfig = ServiceGroupConfiguration(
      services: services,
      gracefulShutdownSignals: settings.handlesSignals ? [.sigterm, .sigint] : [],
      logger: logger)
    groupConfig.maximumGracefulShutdownDuration = settings.shutdownGrace
    groupConfig.maximumCancellationDuration = .milliseconds(500)
    let serviceGroup = ServiceGroup(configuration: groupConfig)
    let stopped = group.withLock { g -> Bool in
      g.running = serviceGroup
      return g.shutdownRequested
    }
    if stopped { return }
    try await serviceGroup.run()
  }

  /// Starts a graceful shutdown (the same as SIGTERM); before ``run(extraServices:onListening:)``
  /// it makes the run return at once.
  public func shutdown() async {
    let running = group.withLock { g -> ServiceGroup? in
      g.shutdownRequested = true
      return g.running
    }
    await running?.triggerGracefulShutdown()
  }
}

extension Agent {
  /// Releases start-up pages on the I/O queue when the settings ask for it (logged at
  /// info the first time, at debug after a reload).
  static func pageRelease(_ settings: Settings) -> @Sendable (_ first: Bool) -> Void {
    guard settings.releasesStartupPages else { return { _ in } }
    let (io, logger) = (settings.io, settings.logger)
    return { first in
      io.submit {
        let report = StartupPages.release()
        logger.log(
          level: first ? .info : .debug, "released start-up pages",
          metadata: [
            "resident_kb_before": "\(report.residentBefore)",
            "resident_kb_after": "\(report.residentAfter)", "mappings": "\(report.mappings)",
          ])
      }
    }
  }
}
