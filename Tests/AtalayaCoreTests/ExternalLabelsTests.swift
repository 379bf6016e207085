import AtalayaCore
import Testing

/// `external_labels:` on every alert: validated, added before fingerprinting, never
/// overriding an alert's own labels; identical agents send identical alerts.
@Suite struct ExternalLabelsTests {
  static let t0 = Timestamp(seconds: 1_800_000_000)

  static func config(_ external: String) throws -> AlertingConfig {
    try ConfigLoader.parse(yaml: text(external), file: "t.yml", environment: [:]).alerting
  }

  static func text(_ external: String) -> String {
    """
    \(external)
    providers:
      - {name: local, type: ollama, checks: [{model: llama3}]}
    alerting:
      rules:
        - {alert: Failing, expr: consecutive_failures >= 1, labels: {team: llm}}
      receivers:
        - {name: hook, type: webhook, url: "http://127.0.0.1:1/h"}

    """
  }

  static func fire(_ config: AlertingConfig, series: [String: String]) -> [AlertNotification] {
    var engine = AlertEngine()
    return engine.evaluate(
      samples: [SignalSample(signal: .consecutiveFailures, labels: series, value: 2)],
      config: config, at: t0)
  }

  @Test func externalLabelsAreOnEveryAlertAndInItsFingerprint() throws {
    let plain = try Self.config("")
    let regional = try Self.config("external_labels: {region: eu-west-1, team: other}")
    #expect(regional.externalLabels == ["region": "eu-west-1", "team": "other"])
    let series = ["provider": "local", "model": "llama3"]
    let a = try #require(Self.fire(plain, series: series).first?.alerts.first)
    let b = try #require(Self.fire(regional, series: series).first?.alerts.first)
    #expect(a.labels["region"] == nil)
    #expect(a.labels["instance"] == nil, "no instance label by default")
    #expect(b.labels["region"] == "eu-west-1")
    #expect(b.labels["team"] == "llm", "the rule's own label wins")
    #expect(a.fingerprint != b.fingerprint)
    // Two agents with the same config send the same alert.
    let again = try #require(Self.fire(regional, series: series).first?.alerts.first)
    #expect(again.labels == b.labels && again.fingerprint == b.fingerprint)
  }

  @Test func badExternalLabelsAreConfigErrors() {
    for (yaml, needle) in [
      ("external_labels: {0bad: x}", "invalid label name"),
      ("external_labels: {alertname: x}", "alertname"),
      ("external_labels: [region]", "mapping"),
      ("external_labels: {region: ''}", "external_labels.region"),
    ] {
      let errors = configErrors(Self.text(yaml), file: "t.yml")
      #expect(!errors.isEmpty, "accepted: \(yaml)")
      let text = errors.map(\.description).joined(separator: "\n")
      #expect(text.contains(needle), "\(yaml): \(text)")
      #expect(text.contains("t.yml:1:"), "\(yaml): \(text)")
    }
  }
}
