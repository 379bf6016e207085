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
  let time: any TimeSource
  private let startedAt: Timestamp
  private let health: HealthStore
  private let cost: CostTracker
  private let history: HistoryStore
  private let routes: RouteStore
  private let events: EventHub
  private let alerts: AlertStore
  let silences: SilenceStore
  private let deliverer: Deliverer<C>
  private let store: StateStore
  private let readiness: Readiness
  private let reloader: ReloadService
  let current: CurrentConfig
  /// The exposition buffer, kept between scrapes (held only while rendering).
  private let renderer = Locked<MetricsRenderer?>(MetricsRenderer())

  init(
    time: any TimeSource, startedAt: Timestamp, health: HealthStore, cost: CostTracker,
    history: HistoryStore, routes: RouteStore, events: EventHub, alerts: AlertStore,
    silences: SilenceStore, deliverer: Deliverer<C>,
    store: StateStore,
    readiness: Readiness,
    reloader: ReloadService, current: CurrentConfig
  ) {
    self.time = time
    self.startedAt = startedAt
    self.health = health
    self.cost = cost
    self.history = history
    self.routes = routes
    self.events = events
    self.alerts = alerts
    self.silences = silences
    self.deliverer = deliverer
    self.store = store
    self.readiness = readiness
    self.reloader = reloader
    self.current = current
  }

  /// The whole exposition in one array (tests and the render benchmark; the server streams).
  public func renderMetrics() async -> [UInt8] {
    var all: [UInt8] = []
    await streamMetrics { all.append(contentsOf: $0) }
    return all
  }

  /// The exposition, handed to `emit` piece by piece as it is rendered (about 64 KiB each):
  /// the stores are read first, at one instant, and a scrape holds one piece at a time.
  public func streamMetrics(_ emit: (ArraySlice<UInt8>) async throws -> Void) async rethrows {
    // Read in the scrape's task: procfs files are made from kernel memory on read (no disk
    // to wait on), a few microseconds; the hop to a blocking-I/O thread and back cost more
    // than the reads (about 25 µs of a 0.7 ms scrape of 10,000 series).
    let process = ProcessMetrics.collect()
    let now = time.now()
    // The kept renderer (its buffer and rows) is taken for the render and put back after;
    // a scrape that overlaps another renders with a fresh one.
    var renderer = self.renderer.withLock { $0.take() } ?? MetricsRenderer()
    defer { self.renderer.withLock { if $0 == nil { $0 = renderer } } }
    // Routes decide from a fleet view: built (only when routes are configured) in the same
    // read as the rows, so both see the same probes.
    let hasRoutes = !routes.isEmpty
    let fleet = health.read(at: now) { fleet -> FleetView? in
      renderer.fillRows(fleet, at: now)
      return hasRoutes ? fleet.view(at: now) : nil
    }
    history.read { renderer.fillHistory($0, at: now) }
    let costMetrics = cost.metrics(at: now)
    let config = current.config
    var silenceCounts = silences.book.counts(at: now)
    for s in config.alerting.silences {
      let state: SilenceRecord.State =
        now >= s.ends ? .expired : now < s.starts ? .pending : .active
      silenceCounts[state, default: 0] += 1
    }
    let alerting = alerts.metrics(
      delivery: deliverer.metrics, silences: silenceCounts,
      maintenance: config.alerting.maintenance.map { ($0.name, $0.occurrence(at: now) != nil) })
    let routeList = fleet.map { routeViews(fleet: $0, at: now) } ?? []
    try await renderer.render(
      reload: reloader.gauges, cost: costMetrics, alerting: alerting, routes: routeList,
      stateWriteFailures: store.writeFailures, emit: emit)
    try await renderer.finish(process: process, emit: emit)
  }

  public func renderStatus() -> [UInt8] {
    let now = time.now()
    return StatusReport(
      view: health.view(at: now), startedAt: startedAt, cost: cost.view(at: now),
      history: history.read { $0.view(at: now) },
      maintenance: current.config.alerting.maintenance
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
    let (response, accepted) = cost.ingestEvents(
      body: body, authorization: authorization, now: time.now())
    routes.record(accepted)
    return response
  }

  /// Every route at `now` (read models gathered outside the routes' lock).
  func routeViews(fleet: FleetView, at now: Timestamp) -> [RouteView] {
    guard !routes.isEmpty else { return [] }
    return routes.evaluate(
      fleet: fleet, traffic: cost.trafficStats(at: now), budgets: cost.view(at: now).budgets,
      silences: silences.muting(current.config, at: now), at: now
    ).views
  }

  /// `Last-Event-ID` (or `?since=`) resumes; `?types=a,b` filters.
  public func subscribeEvents(lastEventID: String?, query: [String: String]) -> EventStreamAnswer {
    var last: UInt64?
    if let text = lastEventID ?? query["since"], !text.isEmpty {
      guard let id = UInt64(text.filter { $0 != " " }) else {
        return .refused(HistoryReport.error(400, "`Last-Event-ID` / `since` must be an event id"))
      }
      last = id
    }
    var types: Set<AgentEventType>?
    if let text = query["types"], !text.isEmpty {
      var set = Set<AgentEventType>()
      for name in text.split(separator: ",") {
        guard let t = AgentEventType(rawValue: String(name).filter { $0 != " " }) else {
          return .refused(
            HistoryReport.error(
              400,
              "unknown event type `\(String(name.prefix(40)))`; known: "
                + AgentEventType.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        set.insert(t)
      }
      types = set
    }
    switch events.subscribe(lastEventID: last, types: types, at: time.now()) {
    case .stream(let s): return .stream(s)
    case .full(let limit):
      return .refused(
        HistoryReport.error(503, "the event stream has its maximum of \(limit) subscribers"))
    }
  }

  public func renderStatusPage() -> [UInt8]? {
    let now = time.now()
    let fleet = health.view(at: now)
    let costView = cost.view(at: now)
    let (historyView, days, incidents) = history.read { h in
      var days: [String: [HistoryBucket]] = [:]
      for p in fleet.providers {
        days[p.name] = h.buckets(provider: p.name, model: nil, .quarter, at: now).map {
          Array($0.suffix(30))
        }
      }
      return (h.view(at: now), days, h.incidents.list(days: 30, at: now))
    }
    let page = StatusPage(
      view: fleet, history: historyView, days: days, routes: routeViews(fleet: fleet, at: now),
      incidents: incidents, cost: costView, maintenance: current.config.alerting.maintenance)
    return Array(page.render().utf8)
  }

  public func renderRoutes() -> EndpointResponse {
    let now = time.now()
    return RouteReport.all(routeViews(fleet: health.view(at: now), at: now), at: now)
  }

  public func renderRoute(name: String) -> EndpointResponse {
    let now = time.now()
    return RouteReport.one(name, views: routeViews(fleet: health.view(at: now), at: now))
  }

  public var usageBodyLimit: Int { cost.usageBodyLimit }

  public func renderHistory(query: [String: String]) -> EndpointResponse {
    let now = time.now()
    let history = self.history
    return HistoryReport.history(query: query, at: now) { provider, model, range in
      history.read { $0.buckets(provider: provider, model: model, range, at: now) }
    }
  }

  public func renderIncidents(query: [String: String]) -> EndpointResponse {
    let now = time.now()
    let log = history.read { $0.incidents }
    return HistoryReport.incidents(query: query, log: log, at: now)
  }

  public func renderIncident(id: String) -> EndpointResponse {
    let now = time.now()
    let log = history.read { $0.incidents }
    return HistoryReport.incident(id: id, log: log, at: now)
  }
}
