/// What the outputs read from the history at one instant: uptime per check and provider,
/// open incidents and counts, and the SLOs.
public struct HistoryView: Sendable {
  public var at: Timestamp
  public var checkUptime: [CheckID: [UptimeRange: Double]]
  public var providerUptime: [String: [UptimeRange: Double]]
  /// The open incident per provider.
  public var openIncidents: [String: Incident]
  /// Incidents per provider and impact (`atalaya_incidents_total`).
  public var incidentTotals: [String: [String: UInt64]]
  public var slos: [SLOStatus]

  public init(
    at: Timestamp, checkUptime: [CheckID: [UptimeRange: Double]] = [:],
    providerUptime: [String: [UptimeRange: Double]] = [:], openIncidents: [String: Incident] = [:],
    incidentTotals: [String: [String: UInt64]] = [:], slos: [SLOStatus] = []
  ) {
    self.at = at
    self.checkUptime = checkUptime
    self.providerUptime = providerUptime
    self.openIncidents = openIncidents
    self.incidentTotals = incidentTotals
    self.slos = slos
  }
}

extension FleetHistory {
  /// The read model at `now`.
  public func view(at now: Timestamp) -> HistoryView {
    var view = HistoryView(at: now)
    var sums: [String: [UptimeRange: (UInt64, UInt64)]] = [:]
    for (id, h) in zip(ids, table) {
      var ranges: [UptimeRange: Double] = [:]
      for range in UptimeRange.allCases {
        let t = h.totals(over: range.duration, at: now)
        guard t.counted > 0 else { continue }
        ranges[range] = Double(t.succeeded) / Double(t.counted)
        let s = sums[id.provider, default: [:]][range] ?? (0, 0)
        sums[id.provider, default: [:]][range] = (s.0 &+ t.counted, s.1 &+ t.succeeded)
      }
      view.checkUptime[id] = ranges
    }
    for (provider, ranges) in sums {
      view.providerUptime[provider] = ranges.mapValues { Double($0.1) / Double($0.0) }
    }
    for p in config.providers {
      if let i = incidents.open(p.name) { view.openIncidents[p.name] = i }
    }
    view.incidentTotals = incidents.totals
    view.slos = sloStatuses(at: now)
    return view
  }
}
