/// The agent's memory beyond the rolling window: each check's ``UptimeHistory``, the
/// ``IncidentLog`` and the SLOs computed from them. A pure value on injected time, held by
/// the agent behind a lock and saved to `history.json`.
public struct FleetHistory: Sendable {
  public private(set) var config: AtalayaConfig
  /// Every check's history, in config order (read in place: a scrape reads every check's,
  /// and a history bound out of a dictionary is a copy of its arrays' references).
  private(set) var table: [UptimeHistory]
  /// Each check's id and where its history is in ``table``.
  private(set) var ids: [CheckID]
  private var index: [CheckID: Int]
  public private(set) var incidents: IncidentLog
  /// Providers whose `rate_limited` probes count.
  private var countsRateLimited: Set<String> = []

  public init(config: AtalayaConfig) {
    self.config = config
    table = []
    ids = []
    index = [:]
    incidents = IncidentLog(closeAfter: config.incidents.closeAfter)
    apply(config)
  }

  /// Every configured check's history.
  public var checks: [CheckID: UptimeHistory] {
    Dictionary(zip(ids, table), uniquingKeysWith: { first, _ in first })
  }

  /// The history of check `id`, nil when it is not configured.
  public func history(of id: CheckID) -> UptimeHistory? { index[id].map { table[$0] } }

  /// Switches to `config`: checks that still exist keep their history; removed ones are
  /// dropped; incidents of removed providers are resolved.
  public mutating func apply(_ config: AtalayaConfig, at now: Timestamp? = nil) {
    var nextTable: [UptimeHistory] = []
    var nextIDs: [CheckID] = []
    var nextIndex: [CheckID: Int] = [:]
    for (provider, check) in config.allChecks {
      let id = check.id(provider: provider.name)
      guard nextIndex[id] == nil else { continue }  // validation rejects duplicates anyway
      nextIndex[id] = nextTable.count
      nextIDs.append(id)
      nextTable.append(index[id].map { table[$0] } ?? UptimeHistory())
    }
    table = nextTable
    ids = nextIDs
    index = nextIndex
    self.config = config
    countsRateLimited = Set(config.providers.filter(\.countRateLimited).map(\.name))
    incidents.closeAfter = config.incidents.closeAfter
    if let now { incidents.retain(providers: Set(config.providers.map(\.name)), at: now) }
  }

  /// Records one probe outcome: counted probes (not `rate_limited` unless the provider
  /// counts it) go into the check's history; failures into the provider's open incident.
  public mutating func record(_ outcome: ProbeOutcome) {
    guard let i = index[outcome.check] else { return }
    if !outcome.result.isSuccess {
      incidents.recordFailure(
        provider: outcome.check.provider, result: outcome.result, message: outcome.message)
    }
    if outcome.result == .rateLimited && !countsRateLimited.contains(outcome.check.provider) {
      return
    }
    table[i].record(
      success: outcome.result.isSuccess, latency: outcome.latency, at: outcome.startedAt)
  }

  /// Counts a probe slot skipped because the check's circuit is open as a failed probe: a
  /// provider held open (a spent quota for a month, a refused key) is unavailable, not
  /// unobserved.
  public mutating func recordHeld(_ id: CheckID, at t: Timestamp) {
    guard let i = index[id] else { return }
    table[i].record(success: false, latency: nil, at: t)
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
    guard let i = index[id] else { return nil }
    return table[i].uptime(range, at: now)
  }

  /// Counted and succeeded probes of check `id` over each of `UptimeRange.allCases`, in that
  /// order; nil when the check is not configured.
  public func uptimeTotals(_ id: CheckID, at now: Timestamp)
    -> (counted: SIMD4<UInt64>, succeeded: SIMD4<UInt64>)?
  {
    guard let i = index[id] else { return nil }
    // Through a pointer: calling the method on `table[i]` copied the history first (a
    // retain and release of each of its arrays), which was most of the cost.
    return table.withUnsafeBufferPointer { ($0.baseAddress! + i).pointee.uptimeTotals(at: now) }
  }

  /// A provider's success ratio over `range`: its checks' counted probes summed.
  public func providerUptime(_ provider: String, _ range: UptimeRange, at now: Timestamp)
    -> Double?
  {
    var counted: UInt64 = 0
    var succeeded: UInt64 = 0
    for (i, id) in ids.enumerated() where id.provider == provider {
      let t = table[i].totals(over: range.duration, at: now)
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
    let matching = ids.indices.filter {
      ids[$0].provider == provider && (model == nil || ids[$0].model == model)
    }
    guard !matching.isEmpty else { return nil }
    var out: [HistoryBucket]?
    for i in matching.sorted(by: { ids[$0] < ids[$1] }) {
      let b = table[i].buckets(range, at: now)
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
          guard let i = index[id] else { continue }
          let t = table[i].totals(over: window, at: now)
          counted &+= t.counted
          succeeded &+= t.succeeded
        }
        return (counted, succeeded)
      }
    }
  }

  /// Restores saved histories (for configured checks) and the incident log.
  public mutating func restore(_ snapshot: HistorySnapshot) {
    for (id, h) in snapshot.checks {
      if let i = index[id] { table[i] = h }
    }
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
  public var storageBytes: Int { table.reduce(0) { $0 + $1.storageBytes } }
}
