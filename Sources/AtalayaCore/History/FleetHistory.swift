/// The agent's memory beyond the rolling window: each check's ``UptimeHistory``, the
/// ``IncidentLog`` and the SLOs computed from them. A pure value on injected time, held by
/// the agent behind a lock and saved to `history.json`.
public struct FleetHistory: Sendable {
  public private(set) var config: AtalayaConfig
  public private(set) var checks: [CheckID: UptimeHistory]
  public private(set) var incidents: IncidentLog
  /// Providers whose `rate_limited` probes count.
  private var countsRateLimited: Set<String> = []

  public init(config: AtalayaConfig) {
    self.config = config
    checks = [:]
    incidents = IncidentLog(closeAfter: config.incidents.closeAfter)
    apply(config)
  }

  /// Switches to `config`: checks that still exist keep their history; removed ones are
  /// dropped; incidents of removed providers are resolved.
  public mutating func apply(_ config: AtalayaConfig, at now: Timestamp? = nil) {
    var next: [CheckID: UptimeHistory] = [:]
    for (provider, check) in config.allChecks {
      let id = check.id(provider: provider.name)
      next[id] = checks[id] ?? UptimeHistory()
    }
    checks = next
    self.config = config
    countsRateLimited = Set(config.providers.filter(\.countRateLimited).map(\.name))
    incidents.closeAfter = config.incidents.closeAfter
    if let now { incidents.retain(providers: Set(config.providers.map(\.name)), at: now) }
  }

  /// Records one probe outcome: counted probes (not `rate_limited` unless the provider
  /// counts it) go into the check's history; failures into the provider's open incident.
  public mutating func record(_ outcome: ProbeOutcome) {
    guard checks[outcome.check] != nil else { return }
    if !outcome.result.isSuccess {
      incidents.recordFailure(
        provider: outcome.check.provider, result: outcome.result, message: outcome.message)
    }
    if outcome.result == .rateLimited && !countsRateLimited.contains(outcome.check.provider) {
      return
    }
    checks[outcome.check]!.record(
      success: outcome.result.isSuccess, latency: outcome.latency, at: outcome.startedAt)
  }

  /// Counts a probe slot skipped because the check's circuit is open as a failed probe: a
  /// provider held open (a spent quota for a month, a refused key) is unavailable, not
  /// unobserved.
  public mutating func recordHeld(_ id: CheckID, at t: Timestamp) {
    checks[id]?.record(success: false, latency: nil, at: t)
  }

  /// Feeds every provider's status of `view` to the incident log.
  @discardableResult
  public mutating func observe(_ view: FleetView) -> [IncidentLog.Event] {
    var events: [IncidentLog.Event] = []
    for p in view.providers {
      let unhealthy = p.checks.filter { !$0.isHealthy }.map(\.id.model)
      if let e = incidents.observe(
        provider: p.name, status: p.status, unhealthy: unhealthy, at: view.at)
      {
        events.append(e)
      }
    }
    incidents.prune(at: view.at)
    return events
  }

  /// Notes the maintenance windows in force, per provider, on their open incidents.
  public mutating func recordMaintenance(_ windows: [String: [String]]) {
    for (provider, names) in windows {
      incidents.recordMaintenance(provider: provider, windows: names)
    }
  }

  /// Notes alerts firing at this evaluation for providers with an open incident.
  public mutating func recordFiring(_ alerts: [(alertname: String, provider: String)]) {
    for a in alerts { incidents.recordAlert(provider: a.provider, alertname: a.alertname) }
  }

  /// The success ratio of one check over `range`, nil without data.
  public func uptime(_ id: CheckID, _ range: UptimeRange, at now: Timestamp) -> Double? {
    checks[id]?.uptime(range, at: now)
  }

  /// A provider's success ratio over `range`: its checks' counted probes summed.
  public func providerUptime(_ provider: String, _ range: UptimeRange, at now: Timestamp)
    -> Double?
  {
    var counted: UInt64 = 0
    var succeeded: UInt64 = 0
    for (id, h) in checks where id.provider == provider {
      let t = h.totals(over: range.duration, at: now)
      counted &+= t.counted
      succeeded &+= t.succeeded
    }
    return counted > 0 ? Double(succeeded) / Double(counted) : nil
  }

  /// The buckets of one check, or of a whole provider (its checks summed; the p95 is the
  /// slowest check's), nil when nothing matches.
  public func buckets(provider: String, model: String?, _ range: HistoryRange, at now: Timestamp)
    -> [HistoryBucket]?
  {
    let matching = checks.filter {
      $0.key.provider == provider && (model == nil || $0.key.model == model)
    }
    guard !matching.isEmpty else { return nil }
    var out: [HistoryBucket]?
    for (_, h) in matching.sorted(by: { $0.key < $1.key }) {
      let b = h.buckets(range, at: now)
      guard var sum = out else {
        out = b
        continue
      }
      for i in sum.indices where i < b.count {
        sum[i].counted &+= b[i].counted
        sum[i].succeeded &+= b[i].succeeded
        if let p = b[i].p95 { sum[i].p95 = max(sum[i].p95 ?? 0, p) }
      }
      out = sum
    }
    return out
  }

  /// Every configured SLO at `now`.
  public func sloStatuses(at now: Timestamp) -> [SLOStatus] {
    config.slos.map { slo in
      let covered = config.allChecks.filter {
        slo.covers(provider: $0.provider.name, check: $0.check)
      }
      .map { $0.check.id(provider: $0.provider.name) }
      return SLOStatus(config: slo) { window in
        var counted: UInt64 = 0
        var succeeded: UInt64 = 0
        for id in covered {
          guard let t = checks[id]?.totals(over: window, at: now) else { continue }
          counted &+= t.counted
          succeeded &+= t.succeeded
        }
        return (counted, succeeded)
      }
    }
  }

  /// Restores saved histories (for configured checks) and the incident log.
  public mutating func restore(_ snapshot: HistorySnapshot) {
    for (id, h) in snapshot.checks where checks[id] != nil { checks[id] = h }
    var log = snapshot.incidents
    log.closeAfter = config.incidents.closeAfter
    // Providers removed while the agent was stopped: their open incidents end then.
    log.retain(providers: Set(config.providers.map(\.name)), at: snapshot.savedAt)
    incidents = log
  }

  /// The persistent part.
  public func snapshot(at now: Timestamp) -> HistorySnapshot {
    HistorySnapshot(savedAt: now, checks: checks, incidents: incidents)
  }

  /// Bytes the uptime histories hold.
  public var storageBytes: Int { checks.values.reduce(0) { $0 + $1.storageBytes } }
}
