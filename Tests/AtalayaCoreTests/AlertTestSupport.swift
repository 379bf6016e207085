import AtalayaCore
import AtalayaTestSupport
import Testing

let alertsURL = "http://127.0.0.1:9478/api/v1/alerts"

/// A sample for `signal` on one check (or, with `model: nil`, one provider).
func sample(
  _ signal: AlertSignal, _ value: Double, provider: String = "openai",
  model: String? = "gpt-4o-mini"
) -> SignalSample {
  var labels = ["provider": provider]
  if let model { labels["model"] = model }
  return SignalSample(signal: signal, labels: labels, value: value)
}

func expr(_ text: String) -> AlertExpression {
  switch AlertExpression.parse(text) {
  case .success(let expression): return expression
  case .failure(let error): fatalError("bad test expression `\(text)`: \(error)")
  }
}

func rule(
  _ name: String = "HighErrors", _ text: String = "error_rate > 5%", for seconds: Int64 = 0,
  keep: Int64 = 0, severity: String = "critical", receivers: [String] = [],
  labels: [String: String] = [:], annotations: [String: String] = [:]
) -> AlertRule {
  AlertRule(
    name: name, expr: expr(text), forDuration: .seconds(seconds), keepFiringFor: .seconds(keep),
    severity: severity, receivers: receivers, labels: labels, annotations: annotations)
}

/// A compact line per notification: `receiver alertname status:series status:series`.
func line(_ notification: AlertNotification) -> String {
  let alerts = notification.alerts.map { alert in
    let l = alert.labels
    let series = [l["provider"], l["model"], l["budget"]].compactMap { $0 }.joined(separator: "/")
    return "\(alert.status.rawValue):\(series)"
  }
  return ([notification.receiver, notification.groupLabels["alertname"] ?? "?"] + alerts)
    .joined(separator: " ")
}

/// A compact line per active alert: `alertname series state`.
func stateLines(_ engine: AlertEngine, at now: Timestamp) -> [String] {
  engine.activeAlerts(at: now).map { alert in
    let l = alert.labels
    let series = [l["provider"], l["model"], l["budget"]].compactMap { $0 }.joined(separator: "/")
    return
      "\(alert.alertname) \(series) \(alert.state.rawValue)\(alert.silenced ? " silenced" : "")"
  }
}

/// One row of a rule test: at `at` seconds after the start, evaluate `samples`; then
/// expect exactly these alert states and these notifications.
struct RuleStep {
  var at: Int
  var samples: [SignalSample]
  var states: [String]
  var sent: [String]

  init(_ at: Int, _ samples: [SignalSample], states: [String] = [], sent: [String] = []) {
    self.at = at
    self.samples = samples
    self.states = states
    self.sent = sent
  }
}

/// Runs rule steps the way `promtool test rules` does, on a fake clock, and returns
/// every notification sent (with its time offset).
@discardableResult
func runRuleSteps(
  _ steps: [RuleStep], config: AlertingConfig, engine: inout AlertEngine,
  start: Timestamp = Timestamp(seconds: 1_800_000_000),
  sourceLocation: SourceLocation = #_sourceLocation
) -> [(at: Int, notification: AlertNotification)] {
  let clock = ManualTimeSource(start)
  var all: [(Int, AlertNotification)] = []
  for step in steps {
    clock.set(start + .seconds(step.at))
    let sent = engine.evaluate(samples: step.samples, config: config, at: clock.now())
    #expect(
      stateLines(engine, at: clock.now()) == step.states, "states at t=\(step.at)s",
      sourceLocation: sourceLocation)
    #expect(sent.map(line) == step.sent, "sent at t=\(step.at)s", sourceLocation: sourceLocation)
    all += sent.map { (step.at, $0) }
  }
  return all
}

/// An alerting config with the given rules and receivers (`name:kind` strings).
func alerting(
  _ rules: [AlertRule], receivers: [String] = ["slack:slack"], repeat repeatSeconds: Int64 = 3600,
  resend: Int64 = 60, evaluation: Int64 = 15, sendResolved: Bool = true,
  silences: [Silence] = []
) -> AlertingConfig {
  AlertingConfig(
    evaluationInterval: .seconds(evaluation), repeatInterval: .seconds(repeatSeconds),
    resendInterval: .seconds(resend), sendResolved: sendResolved, rules: rules,
    receivers: receivers.map { spec in
      let parts = spec.split(separator: ":").map(String.init)
      let kind = ReceiverConfig.Kind(rawValue: parts[1])!
      return ReceiverConfig(
        name: parts[0], kind: kind,
        url: kind == .console ? nil : Secret("http://127.0.0.1:5001/\(parts[0])"))
    },
    silences: silences)
}
