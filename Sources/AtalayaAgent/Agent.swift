import AtalayaCore
import Logging
import Probing
import Server
import Synchronization
import Systemd

/// The running agent: owns the fleet's health, runs probes when the scheduler
/// says so, reloads its configuration and renders its outputs.
///
/// State lives in one `Mutex`; probes run outside it. Everything the agent
/// decides comes from ``FleetHealth`` (pure); the agent does the I/O.
public final class Agent: AgentEndpoints, Sendable {
  /// How the agent gets a (new) configuration: the file on startup and reload.
  public typealias ConfigSource = @Sendable () throws(ConfigErrors) -> AtalayaConfig
  /// Called after each probe with its outcome (the demo prints from it).
  public typealias OutcomeObserver = @Sendable (ProbeOutcome, FleetHealth) -> Void

  struct State {
    var fleet: FleetHealth
    var listening = false
    var schedulerArmed = false
    var reloadSuccessful = true
    var lastReloadSuccess: Timestamp
    var lastStatusLine = ""
    var lastStatusUpdate = Timestamp(seconds: 0)
    var metricsBuffer: MetricsRenderer
    /// Each check's request, built once per configuration (not per probe).
    var requests: [CheckID: HTTPRequest]
  }

  let state: Mutex<State>
  let loadConfig: ConfigSource
  let prober: Prober
  let timeSource: any TimeSource
  let notifier: SystemdNotifier
  let logger: Logger
  let observer: OutcomeObserver?
  let startedAt: Timestamp
  /// Spend, prices, budgets and application traffic.
  public let cost: CostTracker
  /// Alert rules, their state and notification delivery.
  public let alerting: AlertingRuntime
  /// The scheduler; probes are only started by it.
  public let scheduler: ProbeScheduler<ContinuousClock>

  public init(
    config: AtalayaConfig,
    loadConfig: @escaping ConfigSource,
    prober: Prober,
    timeSource: any TimeSource = SystemTimeSource(),
    notifier: SystemdNotifier = SystemdNotifier(),
    logger: Logger,
    observer: OutcomeObserver? = nil,
    alertConsole: @escaping @Sendable (String) -> Void = { print($0) }
  ) {
    let now = timeSource.now()
    self.loadConfig = loadConfig
    self.prober = prober
    self.timeSource = timeSource
    self.notifier = notifier
    self.logger = logger
    self.observer = observer
    self.startedAt = now
    self.cost = CostTracker(config: config)
    self.alerting = AlertingRuntime(
      config: config, stateDir: config.stateDir, transport: prober.transport,
      externalURL: "http://\(config.listen)", timeSource: timeSource, console: alertConsole,
      logger: logger)
    self.state = Mutex(
      State(
        fleet: FleetHealth(config: config), lastReloadSuccess: now,
        metricsBuffer: MetricsRenderer(),
        requests: Self.requests(for: config, prober: prober)))
    let box = WeakAgent()
    self.scheduler = ProbeScheduler(clock: ContinuousClock()) { id, _ in
      await box.agent?.probe(id)
    }
    box.agent = self
  }

  /// The configuration in force.
  public var config: AtalayaConfig { state.withLock { $0.fleet.config } }

  /// A copy of the fleet's health (for tests and the demo).
  public var fleet: FleetHealth { state.withLock { $0.fleet } }

  /// Hands the current checks to the scheduler.
  public func armScheduler() {
    scheduler.apply(Self.scheduleEntries(config))
    state.withLock { $0.schedulerArmed = true }
  }

  /// Called once the HTTP listener is bound: the agent is ready.
  public func markListening() {
    let line = state.withLock { s -> String in
      s.listening = true
      return s.fleet.view(at: timeSource.now()).statusLine()
    }
    notifier.ready(status: line)
  }

  public var isReady: Bool { state.withLock { $0.listening && $0.schedulerArmed } }

  /// Runs one probe of `id` (skipped while its circuit is open).
  func probe(_ id: CheckID) async {
    let now = timeSource.now()
    let target = state.withLock { s -> (ProviderConfig, CheckConfig, HTTPRequest?)? in
      guard let entry = s.fleet.entries[id], s.fleet.allowsProbe(id, at: now) else { return nil }
      return (entry.provider, entry.check, s.requests[id])
    }
    guard let (provider, check, request) = target else { return }
    let outcome = await prober.probe(provider: provider, check: check, request: request)
    record(outcome)
  }

  /// Records an outcome, logs circuit transitions and keeps STATUS= current.
  public func record(_ outcome: ProbeOutcome) {
    let now = timeSource.now()
    cost.recordProbe(outcome)
    let (transition, fleet, statusLine) = state.withLock {
      s -> (CircuitBreaker.Transition?, FleetHealth?, String?) in
      let t = s.fleet.record(outcome)
      var line: String?
      if t != nil || now.seconds - s.lastStatusUpdate.seconds >= 2 {
        let text = s.fleet.view(at: now).statusLine()
        s.lastStatusUpdate = now
        if text != s.lastStatusLine {
          s.lastStatusLine = text
          line = text
        }
      }
      return (t, observer == nil ? nil : s.fleet, line)
    }
    if let transition {
      logger.notice(
        "circuit \(transition.from.rawValue) -> \(transition.to.rawValue)",
        metadata: [
          "provider": "\(outcome.check.provider)", "model": "\(outcome.check.model)",
          "result": "\(outcome.result.rawValue)",
        ])
    }
    if !outcome.result.isSuccess {
      logger.debug(
        "probe failed",
        metadata: [
          "provider": "\(outcome.check.provider)", "model": "\(outcome.check.model)",
          "result": "\(outcome.result.rawValue)", "message": "\(outcome.message ?? "")",
        ])
    }
    if let statusLine, isReady { notifier.status(statusLine) }
    if let observer, let fleet { observer(outcome, fleet) }
  }

  /// Re-reads the configuration and applies it atomically; a bad config
  /// keeps the old one running.
  public func reload() async -> ReloadOutcome {
    notifier.reloading()
    defer { notifier.ready(status: statusLine()) }
    let newConfig: AtalayaConfig
    do {
      newConfig = try loadConfig()
    } catch {
      state.withLock { $0.reloadSuccessful = false }
      logger.error("reload failed; keeping the running configuration\n\(error.description)")
      return ReloadOutcome(
        success: false, message: "reload failed; keeping the running configuration\n\(error)")
    }
    let old = config
    if newConfig.listen != old.listen {
      logger.warning(
        "listen address changes take effect at restart", metadata: ["listen": "\(old.listen)"])
    }
    let now = timeSource.now()
    state.withLock { s in
      var applied = newConfig
      applied.listen = old.listen
      s.fleet.apply(applied)
      s.requests = Self.requests(for: applied, prober: prober)
      s.reloadSuccessful = true
      s.lastReloadSuccess = now
    }
    cost.apply(newConfig)
    alerting.apply(newConfig)
    scheduler.apply(Self.scheduleEntries(newConfig))
    let checks = newConfig.allChecks.count
    logger.info(
      "configuration reloaded",
      metadata: ["providers": "\(newConfig.providers.count)", "checks": "\(checks)"])
    return ReloadOutcome(
      success: true,
      message: "configuration reloaded: \(newConfig.providers.count) providers, \(checks) checks")
  }

  /// The STATUS= line for the current state.
  public func statusLine() -> String {
    let now = timeSource.now()
    return state.withLock { $0.fleet.view(at: now).statusLine() }
  }

  public func renderMetrics() -> [UInt8] {
    let now = timeSource.now()
    let costMetrics = cost.metrics(at: now)
    let alertingMetrics = alerting.metrics()
    return state.withLock { s in
      s.fleet.cacheStats(at: now)
      let view = s.fleet.view(at: now)
      let reload = ReloadState(successful: s.reloadSuccessful, lastSuccess: s.lastReloadSuccess)
      return s.metricsBuffer.render(
        view, reload: reload, cost: costMetrics, alerting: alertingMetrics)
    }
  }

  public func renderStatus() -> [UInt8] {
    let now = timeSource.now()
    let view = state.withLock { s in
      s.fleet.cacheStats(at: now)
      return s.fleet.view(at: now)
    }
    return StatusReport(view: view, startedAt: startedAt, cost: cost.view(at: now)).jsonBytes()
  }

  /// Saves windows and circuits to `file`.
  public func save(to file: StateFile) throws {
    let now = timeSource.now()
    let snapshot = state.withLock { $0.fleet.snapshot(at: now) }
    try file.write(try snapshot.encode())
  }

  /// Restores saved state; a corrupt or foreign file is set aside and reported, never fatal.
  public func restore(from file: StateFile) {
    do {
      guard let bytes = try file.read() else { return }
      let snapshot = try HealthSnapshot.decode(bytes)
      let n = state.withLock { $0.fleet.restore(snapshot) }
      logger.info("restored health state", metadata: ["checks": "\(n)", "path": "\(file.path)"])
    } catch {
      do {
        let aside = try file.setAside(now: timeSource.now())
        logger.error(
          "state file unusable; set aside", metadata: ["error": "\(error)", "moved_to": "\(aside)"])
      } catch {
        logger.error("state file unusable and could not be moved", metadata: ["error": "\(error)"])
      }
    }
  }

  static func scheduleEntries(_ config: AtalayaConfig) -> [ScheduleEntry] {
    config.allChecks.map { p, c in
      ScheduleEntry(id: c.id(provider: p.name), interval: c.interval, timeout: c.timeout)
    }
  }
}

/// Lets the scheduler's closure reach the agent without a retain cycle.
final class WeakAgent: @unchecked Sendable {
  // Set once in Agent.init before the scheduler can run; read-only after.
  weak var agent: Agent?
}

/// The reload gauges' state.
struct ReloadState {
  var successful: Bool
  var lastSuccess: Timestamp
}

extension Agent {
  /// The request of every check in `config`, keyed by check.
  static func requests(for config: AtalayaConfig, prober: Prober) -> [CheckID: HTTPRequest] {
    var requests: [CheckID: HTTPRequest] = [:]
    for (provider, check) in config.allChecks {
      requests[check.id(provider: provider.name)] =
        prober.request(provider: provider, check: check).prepared()
    }
    return requests
  }
}
