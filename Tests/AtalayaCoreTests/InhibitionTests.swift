import AtalayaCore
import Testing

/// Inhibition as in Alertmanager: a firing source mutes matching targets with equal
/// labels; the default rule lets `LLMProviderDown` mute its provider's per-model alerts.
@Suite struct InhibitionTests {
  static let t0 = Timestamp(seconds: 1_800_000_000)

  static func m(_ text: String) -> LabelMatcher { try! LabelMatcher.parse(text) }

  @Test func aFiringSourceInhibitsTargetsWithEqualLabelsOnly() {
    let rule = InhibitRule(
      sourceMatchers: [Self.m(#"alertname="Down""#)],
      targetMatchers: [Self.m(#"alertname="Slow""#)], equal: ["provider"])
    let alerts = [
      InhibitionCandidate(
        fingerprint: "down-a", labels: ["alertname": "Down", "provider": "a"], firing: true),
      InhibitionCandidate(
        fingerprint: "down-b", labels: ["alertname": "Down", "provider": "b"], firing: false),
      InhibitionCandidate(
        fingerprint: "slow-a", labels: ["alertname": "Slow", "provider": "a"], firing: true),
      InhibitionCandidate(
        fingerprint: "slow-b", labels: ["alertname": "Slow", "provider": "b"], firing: true),
      InhibitionCandidate(fingerprint: "slow-none", labels: ["alertname": "Slow"], firing: true),
    ]
    let result = [rule].inhibitions(alerts)
    #expect(result == ["slow-a": ["down-a"]], "a pending source inhibits nothing")
    // A missing label equals an empty one on both sides.
    let unlabeled = InhibitionCandidate(
      fingerprint: "down-none", labels: ["alertname": "Down"], firing: true)
    #expect([rule].inhibitions(alerts + [unlabeled])["slow-none"] == ["down-none"])
  }

  @Test func anAlertMatchingBothSidesNeverInhibitsItselfNorItsPeers() {
    let rule = InhibitRule(
      sourceMatchers: [Self.m(#"severity="critical""#)],
      targetMatchers: [Self.m(#"severity=~"critical|warning""#)], equal: ["provider"])
    let alerts = [
      InhibitionCandidate(
        fingerprint: "c1", labels: ["severity": "critical", "provider": "a", "x": "1"], firing: true
      ),
      InhibitionCandidate(
        fingerprint: "c2", labels: ["severity": "critical", "provider": "a", "x": "2"], firing: true
      ),
      InhibitionCandidate(
        fingerprint: "w", labels: ["severity": "warning", "provider": "a"], firing: true),
    ]
    #expect([rule].inhibitions(alerts) == ["w": ["c1", "c2"]])
  }

  @Test func theDefaultRuleMutesModelAlertsWhileTheProviderIsDown() {
    var config = AlertingConfig(
      rules: AlertRule.defaults, receivers: [ReceiverConfig(name: "hook", kind: .console)])
    #expect(config.inhibitRules == InhibitRule.defaults)
    var engine = AlertEngine()
    func samples(down: Bool) -> [SignalSample] {
      [
        SignalSample(signal: .providerDown, labels: ["provider": "openai"], value: down ? 1 : 0),
        SignalSample(
          signal: .errorRate, labels: ["provider": "openai", "model": "gpt-4o"], value: 0.5),
        SignalSample(
          signal: .errorRate, labels: ["provider": "groq", "model": "llama"], value: 0.5),
      ]
    }
    // 0 s: error rates go pending (for: 2m), the provider is pending (for: 1m).
    _ = engine.evaluate(samples: samples(down: true), config: config, at: Self.t0)
    // 120 s: everything fires; only the provider alert and groq's error rate are sent.
    let sent = engine.evaluate(
      samples: samples(down: true), config: config, at: Self.t0 + .seconds(120))
    let names = sent.flatMap { n in
      n.alerts.map { "\($0.labels["alertname"]!)/\($0.labels["provider"]!)" }
    }
    #expect(names.sorted() == ["LLMHighErrorRate/groq", "LLMProviderDown/openai"])
    let openaiRate = engine.activeAlerts(at: Self.t0).first {
      $0.alertname == "LLMHighErrorRate" && $0.labels["provider"] == "openai"
    }
    #expect(openaiRate?.inhibited == true)
    #expect(openaiRate?.inhibitedBy.count == 1)
    #expect(openaiRate?.state == .firing)
    // The provider recovers while its model still fails: the model alert is now sent.
    let after = engine.evaluate(
      samples: samples(down: false), config: config, at: Self.t0 + .seconds(135))
    let lines = after.map { n in
      "\(n.groupLabels["alertname"]!) "
        + n.alerts.map { "\($0.status.rawValue):\($0.labels["provider"]!)" }.sorted().joined(
          separator: ",")
    }
    #expect(lines.contains("LLMHighErrorRate firing:groq,firing:openai"), "\(lines)")
    #expect(lines.contains("LLMProviderDown resolved:openai"), "\(lines)")
    // `inhibit_rules: []` turns it off.
    config.inhibitRules = []
    var plain = AlertEngine()
    _ = plain.evaluate(samples: samples(down: true), config: config, at: Self.t0)
    let all = plain.evaluate(
      samples: samples(down: true), config: config, at: Self.t0 + .seconds(120))
    #expect(all.flatMap(\.alerts).count == 3)
  }

  /// An alert already sent before its source fires: chat receivers hear nothing more
  /// while it is inhibited and get it again when the inhibition ends; an alertmanager
  /// receiver keeps getting it (or Alertmanager would resolve it by itself).
  @Test func anAlertSentBeforeItsSourceFiredIsHeldBackThenSentAgain() {
    let config = AlertingConfig(
      evaluationInterval: .seconds(10), repeatInterval: .seconds(4 * 3600),
      resendInterval: .seconds(60),
      rules: [rule("Down", "provider_down == 1"), rule("Rate", "error_rate > 5%")],
      receivers: [
        ReceiverConfig(name: "chat", kind: .console),
        ReceiverConfig(name: "am", kind: .alertmanager, url: Secret("http://127.0.0.1:9093")),
      ],
      inhibitRules: [
        InhibitRule(
          sourceMatchers: [Self.m(#"alertname="Down""#)],
          targetMatchers: [Self.m(#"alertname="Rate""#)], equal: ["provider"])
      ])
    var engine = AlertEngine()
    func step(_ t: Int, down: Bool) -> [String] {
      let samples = [
        SignalSample(signal: .providerDown, labels: ["provider": "openai"], value: down ? 1 : 0),
        SignalSample(signal: .errorRate, labels: ["provider": "openai", "model": "m"], value: 0.5),
      ]
      return engine.evaluate(samples: samples, config: config, at: Self.t0 + .seconds(Double(t)))
        .map(line).sorted()
    }
    #expect(step(0, down: false) == ["am Rate firing:openai/m", "chat Rate firing:openai/m"])
    #expect(step(10, down: true) == ["am Down firing:openai", "chat Down firing:openai"])
    // A resend later: only alertmanager hears of Rate again.
    #expect(
      step(70, down: true) == ["am Down firing:openai", "am Rate firing:openai/m"])
    // The provider is back: Down resolves, Rate is no longer inhibited and goes to chat again.
    let back = step(80, down: false)
    #expect(back.contains("chat Rate firing:openai/m"), "\(back)")
    #expect(back.contains("chat Down resolved:openai"), "\(back)")
  }

  @Test func inhibitRulesAreReadFromTheConfigWithPositionedErrors() throws {
    let yaml = """
      providers:
        - {name: local, type: ollama, checks: [{model: llama3}]}
      alerting:
        inhibit_rules:
          - source_matchers: ['alertname="LLMProviderDown"']
            target_matchers: ['severity=~"warning|info"']
            equal: [provider, region]

      """
    let config = try ConfigLoader.parse(yaml: yaml, file: "t.yml", environment: [:])
    #expect(config.alerting.inhibitRules.count == 1)
    #expect(config.alerting.inhibitRules[0].equal == ["provider", "region"])
    #expect(
      config.alerting.inhibitRules[0].targetMatchers.map(\.description) == [
        #"severity=~"warning|info""#
      ])
    for (rule, needle, position) in [
      ("{target_matchers: ['a=\"b\"']}", "needs `source_matchers`", "t.yml:5:7"),
      ("{source_matchers: [], target_matchers: ['a=\"b\"']}", "at least one matcher", "t.yml:5:"),
      (
        "{source_matchers: ['a=\"b\"'], target_matchers: ['a=~\"(\"']}",
        "invalid regular expression", "t.yml:5:"
      ),
      (
        "{source_matchers: ['a=\"b\"'], target_matchers: ['c=\"d\"'], equal: ['9x']}",
        "invalid label name", "t.yml:5:"
      ),
      (
        "{source_matchers: ['a=\"b\"'], target_matchers: ['c=\"d\"'], equals: [x]}", "equals",
        "t.yml:5:"
      ),
    ] {
      let text = """
        providers:
          - {name: local, type: ollama, checks: [{model: llama3}]}
        alerting:
          inhibit_rules:
            - \(rule)

        """
      let errors = configErrors(text, file: "t.yml").map(\.description).joined(separator: "\n")
      #expect(errors.contains(needle), "\(rule): \(errors)")
      #expect(errors.contains(position), "\(rule): \(errors)")
    }
  }
}
