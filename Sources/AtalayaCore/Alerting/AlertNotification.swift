/// Whether an alert is firing or has resolved (Alertmanager's wording).
public enum AlertStatus: String, Sendable, Codable, Equatable {
  case firing
  case resolved
}

/// One alert instance as it is sent: the Alertmanager data model.
public struct Alert: Sendable, Codable, Equatable {
  /// Includes `alertname` and `severity`, the rule's labels and the series' labels.
  public var labels: [String: String]
  /// Templated annotations (`summary`, `description`, …).
  public var annotations: [String: String]
  public var status: AlertStatus
  public var startsAt: Timestamp
  /// nil while firing with no planned end (webhook: 0001-01-01T00:00:00Z); set on resolve,
  /// and for Alertmanager pushes to now + 4 × max(evaluation, resend interval).
  public var endsAt: Timestamp?
  /// The signal's value at the last evaluation.
  public var value: Double
  /// A stable hex hash of the labels.
  public var fingerprint: String
  public var generatorURL: String

  public init(
    labels: [String: String], annotations: [String: String], status: AlertStatus,
    startsAt: Timestamp,
    endsAt: Timestamp?, value: Double, fingerprint: String, generatorURL: String
  ) {
    self.labels = labels
    self.annotations = annotations
    self.status = status
    self.startsAt = startsAt
    self.endsAt = endsAt
    self.value = value
    self.fingerprint = fingerprint
    self.generatorURL = generatorURL
  }
}

/// What the alert engine decided to send to one receiver in one evaluation:
/// the alerts of one alertname that changed together (or are due again).
/// The delivery layer turns it into the receiver's payload and delivers it
/// durably; it is Codable so the outbox can persist it.
public struct AlertNotification: Sendable, Codable, Equatable {
  /// A unique id (for de-duplication in the outbox and in logs).
  public var id: String
  public var receiver: String
  /// `{alertname: …}`: notifications are grouped per alertname.
  public var groupLabels: [String: String]
  public var alerts: [Alert]
  public var createdAt: Timestamp

  public init(
    id: String, receiver: String, groupLabels: [String: String], alerts: [Alert],
    createdAt: Timestamp
  ) {
    self.id = id
    self.receiver = receiver
    self.groupLabels = groupLabels
    self.alerts = alerts
    self.createdAt = createdAt
  }

  /// `firing` if any alert fires, else `resolved`.
  public var status: AlertStatus { alerts.contains { $0.status == .firing } ? .firing : .resolved }
}
