/// One incident of one provider: from when it left `healthy` to when it had been healthy
/// again for `incidents.close_after`.
public struct Incident: Sendable, Equatable, Codable {
  public enum Status: String, Sendable, Codable, CaseIterable {
    case open, resolved
  }

  /// Stable: the provider and the start time, e.g. `openai-1800000000`.
  public var id: String
  public var provider: String
  public var status: Status
  /// The worst status reached: `degraded` or `down`.
  public var impact: ProviderStatus
  public var startedAt: Timestamp
  /// When the provider became healthy again (resolved incidents).
  public var endedAt: Timestamp?
  /// Models of the checks that were unhealthy during the incident, in first-seen order.
  public var checks: [String]
  /// Failed probes per class (its `result` label) during the incident.
  public var failures: [String: Int]
  /// The first failure's message (redacted, as every probe message is).
  public var firstError: String?
  /// Alerts that fired for this provider during the incident.
  public var alerts: [String]
  /// Since when the provider has been healthy while the incident is still open.
  public var healthySince: Timestamp?
  /// The maintenance windows in force for this provider when the incident opened; nil
  /// when none was (the incident is then not planned work).
  public var maintenance: [String]?

  public init(id: String, provider: String, impact: ProviderStatus, startedAt: Timestamp) {
    self.id = id
    self.provider = provider
    status = .open
    self.impact = impact
    self.startedAt = startedAt
    endedAt = nil
    checks = []
    failures = [:]
    firstError = nil
    alerts = []
    healthySince = nil
  }

  /// The dominant failure class (the most failed probes; ties to the more severe order
  /// of ``ResultClass/allCases``), nil before any failure.
  public var cause: ResultClass? {
    failures.compactMap { k, v in ResultClass(rawValue: k).map { ($0, v) } }
      .max { a, b in a.1 != b.1 ? a.1 < b.1 : a.0.ordinal > b.0.ordinal }?.0
  }

  /// The incident's length so far (`now` for an open one).
  public func duration(at now: Timestamp) -> Duration {
    max(.zero, (endedAt ?? now) - startedAt)
  }

  /// The most checks and alerts one incident lists (memory stays bounded while a
  /// provider is down for weeks).
  static let maxListed = 100
}
