/// One pending or firing alert, for GET /api/v1/alerts.
public struct ActiveAlert: Sendable, Equatable {
  public var alertname: String
  public var state: AlertState
  public var labels: [String: String]
  public var annotations: [String: String]
  /// The signal's last finite value (in its base unit) and the same for people.
  public var value: Double
  public var formattedValue: String
  /// When the condition became true (Prometheus' activeAt).
  public var since: Timestamp
  public var firedAt: Timestamp?
  /// The latest time any receiver was sent this alert as firing; nil if never.
  public var lastNotified: Timestamp?
  /// Whether a silence mutes its notifications.
  public var silenced: Bool
  /// The silences that mute it (ids; see ``Silence/id``).
  public var silencedBy: [String]
  /// The fingerprints of the firing alerts that inhibit it.
  public var inhibitedBy: [String]
  public var fingerprint: String

  /// Whether an inhibition rule mutes its notifications.
  public var inhibited: Bool { !inhibitedBy.isEmpty }
}

/// The number of alert instances of one rule in one state (atalaya_alerts{alertname,state}).
public struct AlertCount: Sendable, Equatable {
  public var alertname: String
  public var state: AlertState
  public var count: Int
}

extension AlertEngine {
  /// Every pending and firing alert, ordered by alertname then labels. State as of the
  /// last evaluation; alerts whose `since` is after `now` (a clock that went back) are
  /// still listed.
  public func activeAlerts(at now: Timestamp) -> [ActiveAlert] {
    instances.values
      .sorted { ($0.alertname, Self.sortKey($0.labels)) < ($1.alertname, Self.sortKey($1.labels)) }
      .map { instance in
        ActiveAlert(
          alertname: instance.alertname, state: instance.state, labels: instance.labels,
          annotations: instance.annotations, value: instance.value,
          formattedValue: instance.signal.unit.format(instance.value),
          since: instance.activeAt, firedAt: instance.firedAt,
          lastNotified: instance.lastNotified.values.max(), silenced: instance.silenced,
          silencedBy: instance.silencedBy ?? [], inhibitedBy: instance.inhibitedBy ?? [],
          fingerprint: instance.fingerprint)
      }
  }

  /// Counts per (alertname, state) for every rule of the last evaluation (zeros
  /// included, so series do not go stale) in rule order, pending before firing.
  public func alertCounts() -> [AlertCount] {
    var names = ruleNames
    for name in Set(instances.values.map(\.alertname)).sorted() where !names.contains(name) {
      names.append(name)
    }
    return names.flatMap { name in
      AlertState.allCases.map { state in
        AlertCount(
          alertname: name, state: state,
          count: instances.values.count { $0.alertname == name && $0.state == state })
      }
    }
  }
}
