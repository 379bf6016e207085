/// The incident log of every provider, as a state machine fed the provider status at each
/// evaluation (``observe(provider:status:unhealthy:at:)``), failed probes and fired alerts.
///
/// An incident opens when a provider leaves `healthy` (degraded or down) and resolves once
/// it has been healthy for `closeAfter` (default 2m), so a flapping provider is one
/// incident, not twenty. The log keeps the last 90 days and at most 1,000 incidents; an
/// incident open at shutdown stays open across the restart (the agent's own downtime is
/// no data in the uptime history, not part of the provider's record).
public struct IncidentLog: Sendable, Equatable, Codable {
  /// A change worth telling (the live event stream, the log).
  public enum Event: Sendable, Equatable {
    case opened(Incident)
    case resolved(Incident)
  }

  public var closeAfter: Duration
  /// Oldest first.
  public private(set) var incidents: [Incident]
  /// Incidents opened per provider and impact reached (`atalaya_incidents_total`).
  public private(set) var totals: [String: [String: UInt64]]

  public static let maxIncidents = 1000
  public static let retention: Duration = .seconds(90 * 86_400)

  enum CodingKeys: String, CodingKey { case incidents, totals }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init()
    incidents = Array(try c.decode([Incident].self, forKey: .incidents).suffix(Self.maxIncidents))
      .map { i in
        var i = i
        i.checks = Array(i.checks.prefix(Incident.maxListed))
        i.alerts = Array(i.alerts.prefix(Incident.maxListed))
        i.failures = i.failures.filter { ResultClass(rawValue: $0.key) != nil }
          .mapValues { min(max($0, 0), 1 << 40) }
        return i
      }
    totals = try c.decodeIfPresent([String: [String: UInt64]].self, forKey: .totals) ?? [:]
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(incidents, forKey: .incidents)
    try c.encode(totals, forKey: .totals)
  }

  public init(closeAfter: Duration = .seconds(120)) {
    self.closeAfter = closeAfter
    incidents = []
    totals = [:]
  }

  /// The open incident of `provider`, if any.
  public func open(_ provider: String) -> Incident? {
    incidents.last { $0.provider == provider && $0.status == .open }
  }

  private func openIndex(_ provider: String) -> Int? {
    incidents.lastIndex { $0.provider == provider && $0.status == .open }
  }

  /// Takes `provider`'s status at `now` and the models of its unhealthy checks; returns
  /// the incident opened or resolved, if any.
  @discardableResult
  public mutating func observe(
    provider: String, status: ProviderStatus, unhealthy: [String], at now: Timestamp
  ) -> Event? {
    if let i = openIndex(provider) {
      var incident = incidents[i]
      defer { incidents[i] = incident }
      if status == .healthy {
        let since = incident.healthySince ?? now
        incident.healthySince = since
        if now - since >= closeAfter {
          incident.status = .resolved
          incident.endedAt = since
          incident.healthySince = nil
          return .resolved(incident)
        }
        return nil
      }
      incident.healthySince = nil
      if status == .down && incident.impact != .down {
        incident.impact = .down
        count(provider, .down)
      }
      add(unhealthy, to: &incident)
      return nil
    }
    guard status != .healthy else { return nil }
    var incident = Incident(
      id: "\(provider)-\(Int64(Int(saturating: now.seconds.rounded(.down))))", provider: provider,
      impact: status, startedAt: now)
    if incidents.contains(where: { $0.id == incident.id }) { incident.id += "-\(incidents.count)" }
    add(unhealthy, to: &incident)
    count(provider, status)
    incidents.append(incident)
    prune(at: now)
    return .opened(incident)
  }

  /// Counts a failed probe of `provider` towards its open incident's cause (the first one
  /// gives the incident its first error).
  public mutating func recordFailure(provider: String, result: ResultClass, message: String?) {
    guard !result.isSuccess, let i = openIndex(provider) else { return }
    incidents[i].failures[result.rawValue, default: 0] &+= 1
    if incidents[i].firstError == nil {
      incidents[i].firstError = message.map { String($0.prefix(500)) }
    }
  }

  /// Notes an alert that fired for `provider` during its open incident.
  public mutating func recordAlert(provider: String, alertname: String) {
    guard let i = openIndex(provider), !incidents[i].alerts.contains(alertname),
      incidents[i].alerts.count < Incident.maxListed
    else { return }
    incidents[i].alerts.append(alertname)
  }

  /// Notes maintenance windows in force for `provider` during its open incident.
  public mutating func recordMaintenance(provider: String, windows: [String]) {
    guard !windows.isEmpty, let i = openIndex(provider) else { return }
    var names = incidents[i].maintenance ?? []
    for w in windows where !names.contains(w) && names.count < Incident.maxListed {
      names.append(w)
    }
    incidents[i].maintenance = names
  }

  /// Incidents started within `days` of `now` (open ones always), newest first.
  public func list(
    days: Int, provider: String? = nil, status: Incident.Status? = nil, at now: Timestamp
  )
    -> [Incident]
  {
    let since = now - .seconds(Double(max(0, days)) * 86_400)
    return incidents.reversed().filter { i in
      (i.status == .open || i.startedAt >= since || (i.endedAt ?? now) >= since)
        && (provider == nil || i.provider == provider)
        && (status == nil || i.status == status)
    }
  }

  /// The incident with `id`.
  public func incident(_ id: String) -> Incident? { incidents.first { $0.id == id } }

  /// Drops resolved incidents older than the retention and the oldest beyond the cap.
  public mutating func prune(at now: Timestamp) {
    incidents.removeAll { $0.status == .resolved && ($0.endedAt ?? now) < now - Self.retention }
    if incidents.count > Self.maxIncidents {
      incidents.removeFirst(incidents.count - Self.maxIncidents)
    }
  }

  /// Forgets open incidents of providers no longer configured (resolved at `now`).
  public mutating func retain(providers: Set<String>, at now: Timestamp) {
    for i in incidents.indices where incidents[i].status == .open {
      guard !providers.contains(incidents[i].provider) else { continue }
      incidents[i].status = .resolved
      incidents[i].endedAt = now
    }
  }

  private mutating func count(_ provider: String, _ impact: ProviderStatus) {
    totals[provider, default: [:]][impact.rawValue, default: 0] &+= 1
  }

  private func add(_ models: [String], to incident: inout Incident) {
    for m in models where !incident.checks.contains(m) && incident.checks.count < Incident.maxListed
    {
      incident.checks.append(m)
    }
  }
}
