import AtalayaCore

extension Catalogue {
  // MARK: Alerting (rule engine)

  /// `state` label values of ``alerts``.
  public static let alertStates = ["pending", "firing"]

  public static let alerts = MetricFamily(
    name: "atalaya_alerts",
    help: "Active alert instances by alert name and state (pending or firing).",
    type: .gauge, labelNames: ["alertname", "state"])

  public static let ruleEvaluationsTotal = MetricFamily(
    name: "atalaya_rule_evaluations_total",
    help: "Rule evaluations run (one per rule per evaluation interval).",
    type: .counter)

  public static let ruleEvaluationFailuresTotal = MetricFamily(
    name: "atalaya_rule_evaluation_failures_total",
    help: "Rule evaluations that failed (the rule's signal could not be computed).",
    type: .counter)

  /// `state` label values of ``silences``.
  public static let silenceStates = ["pending", "active", "expired"]

  public static let silences = MetricFamily(
    name: "atalaya_silences",
    help:
      "Silences by state: the config's, and those made through /api/v1/silences (whose expired "
      + "ones are dropped after 24 hours).",
    type: .gauge, labelNames: ["state"])

  public static let maintenanceWindowActive = MetricFamily(
    name: "atalaya_maintenance_window_active",
    help: "1 while the maintenance window is in force (its matching alerts are muted), else 0.",
    type: .gauge, labelNames: ["window"])

  // MARK: Alerting (delivery)

  /// `result` label values of ``notificationsTotal``.
  public static let notificationResults = ["sent", "failed", "dropped"]
  /// Bucket upper bounds of ``notificationLatencySeconds``, in seconds (retries
  /// can take minutes to hours, so the buckets reach one hour).
  public static let notificationLatencyBuckets: [Double] = DeliveryLatencyBuckets.upperBounds

  public static let notificationsTotal = MetricFamily(
    name: "atalaya_notifications_total",
    help:
      "Alert notifications by receiver and result: sent = delivered, failed = a delivery attempt "
      + "failed (each retry counts), dropped = given up (max_age reached, permanent failure, "
      + "receiver removed).",
    type: .counter, labelNames: ["receiver", "result"])

  public static let notificationQueueLength = MetricFamily(
    name: "atalaya_notification_queue_length",
    help: "Alert notifications owed to the receiver (queued or waiting for a retry).",
    type: .gauge, labelNames: ["receiver"])

  public static let notificationLatencySeconds = MetricFamily(
    name: "atalaya_notification_latency_seconds",
    help: "Time from queueing an alert notification to its successful delivery, in seconds.",
    type: .histogram, labelNames: ["receiver"], buckets: notificationLatencyBuckets)
}
