/// The `alerting:` section of the config: how often rules are evaluated, the
/// rules, where notifications go and what is silenced.
public struct AlertingConfig: Sendable, Equatable {
  public var evaluationInterval: Duration
  /// Remind while still firing (Slack, webhook, console receivers).
  public var repeatInterval: Duration
  /// Re-push interval for Alertmanager receivers (Prometheus' resend delay).
  public var resendInterval: Duration
  public var sendResolved: Bool
  /// ``AlertRule/defaults`` unless the config lists rules (`rules: []` means none).
  public var rules: [AlertRule]
  public var receivers: [ReceiverConfig]
  public var silences: [Silence]
  /// `inhibit_rules:` (``InhibitRule/defaults`` when the key is absent).
  public var inhibitRules: [InhibitRule]
  /// `maintenance:`: recurring windows that mute matching alerts.
  public var maintenance: [MaintenanceWindow]
  /// `external_labels:` (top level): added to every alert whose labels do not already
  /// have the name, before fingerprinting, as Prometheus adds its external labels.
  public var externalLabels: [String: String]

  public init(
    evaluationInterval: Duration = .seconds(15), repeatInterval: Duration = .seconds(4 * 3600),
    resendInterval: Duration = .seconds(60), sendResolved: Bool = true,
    rules: [AlertRule] = AlertRule.defaults,
    receivers: [ReceiverConfig] = [], silences: [Silence] = [],
    inhibitRules: [InhibitRule] = InhibitRule.defaults, maintenance: [MaintenanceWindow] = [],
    externalLabels: [String: String] = [:]
  ) {
    self.inhibitRules = inhibitRules
    self.maintenance = maintenance
    self.evaluationInterval = evaluationInterval
    self.repeatInterval = repeatInterval
    self.resendInterval = resendInterval
    self.sendResolved = sendResolved
    self.rules = rules
    self.receivers = receivers
    self.silences = silences
    self.externalLabels = externalLabels
  }
}

/// One alerting rule: `expr` evaluated per series, firing after `for`.
public struct AlertRule: Sendable, Equatable {
  /// The `alertname` label.
  public var name: String
  public var expr: AlertExpression
  public var forDuration: Duration
  public var keepFiringFor: Duration
  public var severity: String
  /// Receiver names; empty means every receiver.
  public var receivers: [String]
  public var labels: [String: String]
  public var annotations: [String: String]

  public init(
    name: String, expr: AlertExpression, forDuration: Duration = .zero,
    keepFiringFor: Duration = .zero,
    severity: String = "warning", receivers: [String] = [], labels: [String: String] = [:],
    annotations: [String: String] = [:]
  ) {
    self.name = name
    self.expr = expr
    self.forDuration = forDuration
    self.keepFiringFor = keepFiringFor
    self.severity = severity
    self.receivers = receivers
    self.labels = labels
    self.annotations = annotations
  }
}

/// `SIGNAL OP VALUE [and SIGNAL OP VALUE]…`, e.g. `error_rate > 5%` (value stored as
/// 0.05) or `slo_burn_rate_1h > 14.4 and slo_burn_rate_5m > 14.4`.
///
/// The first comparison picks the series (an alert per series of its signal, valued by
/// it); each `and` comparison must hold for the series of its own signal with the same
/// labels, as PromQL's `and` matches on labels. A series the other signal lacks is false.
public struct AlertExpression: Sendable, Equatable, CustomStringConvertible {
  public var signal: AlertSignal
  public var op: ComparisonOperator
  /// The threshold in the signal's base unit (ratio, seconds, USD, hours, count).
  public var value: Double
  /// The comparisons joined with `and` after the first.
  public var conjuncts: [AlertCondition]
  /// The expression as written, for messages.
  public var text: String

  public init(
    signal: AlertSignal, op: ComparisonOperator, value: Double, text: String,
    conjuncts: [AlertCondition] = []
  ) {
    self.signal = signal
    self.op = op
    self.value = value
    self.text = text
    self.conjuncts = conjuncts
  }

  public var description: String { text }

  /// Whether the first comparison holds for `sample`.
  public func matches(_ sample: Double) -> Bool { op.compare(sample, value) }

  /// Every signal the expression reads.
  public var signals: [AlertSignal] { [signal] + conjuncts.map(\.signal) }
}

/// One `SIGNAL OP VALUE` joined with `and`.
public struct AlertCondition: Sendable, Equatable {
  public var signal: AlertSignal
  public var op: ComparisonOperator
  public var value: Double

  public init(signal: AlertSignal, op: ComparisonOperator, value: Double) {
    self.signal = signal
    self.op = op
    self.value = value
  }

  public func matches(_ sample: Double) -> Bool { op.compare(sample, value) }
}

/// A comparison operator of an alert expression.
public enum ComparisonOperator: String, Sendable, Equatable, CaseIterable {
  case greater = ">"
  case greaterOrEqual = ">="
  case less = "<"
  case lessOrEqual = "<="
  case equal = "=="
  case notEqual = "!="

  public func compare(_ lhs: Double, _ rhs: Double) -> Bool {
    switch self {
    case .greater: lhs > rhs
    case .greaterOrEqual: lhs >= rhs
    case .less: lhs < rhs
    case .lessOrEqual: lhs <= rhs
    case .equal: lhs == rhs
    case .notEqual: lhs != rhs
    }
  }
}

/// What a rule can look at. Health signals are per check (provider, model) or
/// per provider; cost signals per provider (and `provider="total"`) or per budget.
public enum AlertSignal: String, Sendable, Equatable, CaseIterable {
  case errorRate = "error_rate"
  case successRate = "success_rate"
  case latencyP50 = "latency_p50"
  case latencyP90 = "latency_p90"
  case latencyP95 = "latency_p95"
  case latencyP99 = "latency_p99"
  case ttftP95 = "ttft_p95"
  case consecutiveFailures = "consecutive_failures"
  case circuitOpen = "circuit_open"
  case providerDown = "provider_down"
  case providerDegraded = "provider_degraded"
  case ratelimitRemainingRatio = "ratelimit_remaining_ratio"
  /// 1 while a model a `kind: models` check expects is in the provider's list, 0 while it
  /// is missing (labels provider, model).
  case modelListed = "model_listed"
  /// An SLO's burn rate over one window (label slo): the error ratio over the window
  /// divided by the allowed one (1 − target). One signal per window, so rules pair them
  /// with `and` as the multiwindow alerts do.
  case sloBurnRate5m = "slo_burn_rate_5m"
  case sloBurnRate30m = "slo_burn_rate_30m"
  case sloBurnRate1h = "slo_burn_rate_1h"
  case sloBurnRate6h = "slo_burn_rate_6h"
  case sloBurnRate1d = "slo_burn_rate_1d"
  case sloBurnRate3d = "slo_burn_rate_3d"
  /// The error budget left over the SLO's period (label slo): 1 untouched, 0 spent.
  case sloErrorBudgetRemaining = "slo_error_budget_remaining"
  /// How many candidates of a route are usable now (label route).
  case routeUsableCandidates = "route_usable_candidates"
  case costPerHour = "cost_per_hour"
  case budgetRemainingUSD = "budget_remaining_usd"
  case budgetUsedRatio = "budget_used_ratio"
  case budgetExhaustionHours = "budget_exhaustion_hours"
  /// 1 while a budget's `warn_at` threshold is crossed in the current period
  /// (labels budget, threshold); feeds the implicit LLMBudgetThreshold rule.
  case budgetThresholdCrossed = "budget_threshold_crossed"
}

/// One value of a signal for one series, with that series' labels.
public struct SignalSample: Sendable, Equatable {
  public var signal: AlertSignal
  /// e.g. ["provider": "openai", "model": "gpt-4o-mini"] or ["budget": "monthly"].
  public var labels: [String: String]
  public var value: Double

  public init(signal: AlertSignal, labels: [String: String], value: Double) {
    self.signal = signal
    self.labels = labels
    self.value = value
  }
}

/// A silence: notifications for alerts whose labels match every matcher are
/// muted between `starts` and `ends` (the alert state stays visible).
public struct Silence: Sendable, Equatable {
  /// Equality matchers (the `matchers: {name: value}` form).
  public var matchers: [String: String]
  /// Alertmanager-style matchers (`=`, `!=`, `=~`, `!~`; the list form).
  public var labelMatchers: [LabelMatcher]
  public var starts: Timestamp
  public var ends: Timestamp
  public var comment: String
  /// The API silence's id, `maintenance:NAME` for a maintenance window, `config:N` for
  /// the N-th silence of the config (as alerts' `silenced_by` names them).
  public var id: String

  public init(
    matchers: [String: String], labelMatchers: [LabelMatcher] = [], starts: Timestamp,
    ends: Timestamp, comment: String = "", id: String = ""
  ) {
    self.matchers = matchers
    self.labelMatchers = labelMatchers
    self.starts = starts
    self.ends = ends
    self.comment = comment
    self.id = id
  }

  /// Whether it can skip route candidates: only a silence with a matcher on `provider`
  /// or `model` that an empty label fails does (a maintenance window for "every alert"
  /// mutes alerts, it does not take every route down).
  public var selectsRouteCandidates: Bool {
    matchers.keys.contains { $0 == "provider" || $0 == "model" }
      || labelMatchers.contains {
        ($0.name == "provider" || $0.name == "model") && !$0.matchesEmpty
      }
  }

  public func mutes(_ labels: [String: String], at now: Timestamp) -> Bool {
    now >= starts && now < ends && matchers.allSatisfy { labels[$0.key] == $0.value }
      && labelMatchers.allSatisfy { $0.matches(labels) }
  }
}
