import Alerting
import AtalayaCore
import Exposition
import Server
import Storage
import Synchronization

/// What the HTTP server serves, computed from the read models: /metrics,
/// /api/v1/status, /api/v1/alerts, readiness, reload and the usage API. Reads never
/// change the stores; /proc is read off the cooperative pool and outside every lock.
public final class AgentPresenter<C: Clock>: AgentEndpoints, Sendable
where C.Duration == Duration {
  private let time: any TimeSource
  private let startedAt: Timestamp
  private let health: HealthStore
  private let cost: CostTracker
  private let history: HistoryStore
  private let alerts: AlertStore
  private let deliverer: Deliverer<C>
  private let store: StateStore
  private let readiness: Readiness
  private let reloader: ReloadService
  private let current: CurrentConfig
  /// /proc reads get their own queue: a scrape never waits behind a state file's fsync.
  private let procIO: BlockingIO
  /// The exposition buffer, kept between scrapes (held only while rendering).
  private let renderer = Locked(MetricsRenderer())

  init(
    time: any TimeSource, startedAt: Timestamp, health: HealthStore, cost: CostTracker,
    history: HistoryStore, alerts: AlertStore, deliverer: Deliverer<C>, store: StateStore,
    readiness: Readiness,
    reloader: ReloadService, current: CurrentConfig, procIO: BlockingIO
  ) {
    self.time = time
    self.startedAt = startedAt
    self.health = health
    self.cost = cost
    self.history = history
    self.alerts = alerts
    self.deliverer = deliverer
    self.store = store
    self.readiness = readiness
    self.reloader = reloader
    self.current = current
    self.procIO = procIO
  }

  public func renderMetrics() async -> [UInt8] {
    let process = await procIO.run { ProcessMetrics.collect() }
    let now = time.now()
    let view = health.view(at: now)
    let costMetrics = cost.metrics(at: now)
    let alerting = alerts.metrics(delivery: deliverer.metrics)
    let failures = store.writeFailures
    let reload = reloader.gauges
    let historyView = history.read { $0.view(at: now) }
    return renderer.withLock {
      $0.render(
        view, reload: reload, cost: costMetrics, alerting: alerting, history: historyView,
        stateWriteFailures: failures, process: process)
    }
  }

  public func renderStatus() -> [UInt8] {
    let now = time.now()
    return StatusReport(
      view: health.view(at: now), startedAt: startedAt, cost: cost.view(at: now),
      history: history.read { $0.view(at: now) }
    ).jsonBytes()
  }

  public func renderAlerts() -> [UInt8] {
    let now = time.now()
    return AlertsReport(alerts: alerts.activeAlerts(at: now), at: now).jsonBytes()
  }

  public var isReady: Bool { readiness.isReady }

  public func reload() async -> ReloadOutcome { await reloader.reload() }

  public func authorizesAdmin(_ authorization: String?) -> Bool {
    guard let token = current.config.adminAPI.bearerToken else { return true }
    return BearerAuthorization.matches(authorization, token: token)
  }

  public func ingestUsage(body: [UInt8], authorization: String?) async -> EndpointResponse {
    cost.ingest(body: body, authorization: authorization, now: time.now())
  }

  public var usageBodyLimit: Int { cost.usageBodyLimit }

  public func renderHistory(query: [String: String]) -> EndpointResponse {
    let now = time.now()
    return history.read { HistoryReport.history(query: query, history: $0, at: now) }
  }

  public func renderIncidents(query: [String: String]) -> EndpointResponse {
    let now = time.now()
    return history.read { HistoryReport.incidents(query: query, log: $0.incidents, at: now) }
  }

  public func renderIncident(id: String) -> EndpointResponse {
    let now = time.now()
    return history.read { HistoryReport.incident(id: id, log: $0.incidents, at: now) }
  }
}
