import AtalayaCore
import Testing

/// Who is told what and when: receivers, cadences, grouping, silences, templating.
@Suite("Alert engine notifications")
struct AlertEngineNotificationTests {
  let start = Timestamp(seconds: 1_800_000_000)
  let a = "HighErrors openai/gpt-4o-mini"

  @Test func alertmanagerIsResentEveryResendIntervalWithEndsAtFourIntervalsAhead() {
    var engine = AlertEngine(generatorURL: alertsURL)
    let sent = runRuleSteps(
      [
        RuleStep(
          0, [sample(.errorRate, 0.1)], states: ["\(a) firing"],
          sent: [
            "slack HighErrors firing:openai/gpt-4o-mini", "am HighErrors firing:openai/gpt-4o-mini",
          ]),
        RuleStep(15, [sample(.errorRate, 0.1)], states: ["\(a) firing"]),
        RuleStep(45, [sample(.errorRate, 0.1)], states: ["\(a) firing"]),
        RuleStep(
          60, [sample(.errorRate, 0.1)], states: ["\(a) firing"],
          sent: ["am HighErrors firing:openai/gpt-4o-mini"]),
        RuleStep(
          70, [sample(.errorRate, 0.0)],
          sent: [
            "slack HighErrors resolved:openai/gpt-4o-mini",
            "am HighErrors resolved:openai/gpt-4o-mini",
          ]),
      ], config: alerting([rule()], receivers: ["slack:slack", "am:alertmanager"], resend: 60),
      engine: &engine)
    let ends = sent.map { ($0.at, $0.notification.receiver, $0.notification.alerts[0].endsAt) }
    #expect(ends.map(\.0) == [0, 0, 60, 70, 70])
    #expect(ends[0].2 == nil)  // slack: no planned end while firing
    #expect(ends[1].2 == start + .seconds(240))  // 4 × max(15s, 60s)
    #expect(ends[2].2 == start + .seconds(300))
    #expect(ends[3].2 == start + .seconds(70))
    #expect(ends[4].2 == start + .seconds(70))
    #expect(sent.allSatisfy { $0.notification.alerts[0].startsAt == start })
    #expect(sent.allSatisfy { $0.notification.alerts[0].generatorURL == alertsURL })
  }

  @Test func alertmanagerEndsAtUsesTheEvaluationIntervalWhenLonger() {
    var engine = AlertEngine()
    let sent = engine.evaluate(
      samples: [sample(.errorRate, 0.1)],
      config: alerting([rule()], receivers: ["am:alertmanager"], resend: 60, evaluation: 120),
      at: start)
    #expect(sent.first?.alerts.first?.endsAt == start + .seconds(480))
  }

  @Test func alertsOfOneAlertnameThatChangeTogetherGoInOneNotificationPerReceiver() {
    var engine = AlertEngine()
    let sent = runRuleSteps(
      [
        RuleStep(
          0, [sample(.errorRate, 0.1, model: "a"), sample(.errorRate, 0.2, model: "b")],
          states: ["HighErrors openai/a firing", "HighErrors openai/b firing"],
          sent: [
            "slack HighErrors firing:openai/a firing:openai/b",
            "hook HighErrors firing:openai/a firing:openai/b",
          ]),
        // A new member of the group: the group is sent again, whole (as Alertmanager does).
        RuleStep(
          15,
          [
            sample(.errorRate, 0.1, model: "a"), sample(.errorRate, 0.2, model: "b"),
            sample(.errorRate, 0.3, model: "c"),
          ],
          states: [
            "HighErrors openai/a firing", "HighErrors openai/b firing",
            "HighErrors openai/c firing",
          ],
          sent: [
            "slack HighErrors firing:openai/a firing:openai/b firing:openai/c",
            "hook HighErrors firing:openai/a firing:openai/b firing:openai/c",
          ]),
      ], config: alerting([rule()], receivers: ["slack:slack", "hook:webhook"]), engine: &engine)
    #expect(sent.allSatisfy { $0.notification.groupLabels == ["alertname": "HighErrors"] })
    #expect(Set(sent.map(\.notification.id)).count == sent.count)
  }

  @Test func rulesWithReceiversNotifyOnlyThoseAndOthersNotifyEveryReceiver() {
    var engine = AlertEngine()
    runRuleSteps(
      [
        RuleStep(
          0, [sample(.errorRate, 0.1), sample(.latencyP95, 9)],
          states: ["HighErrors openai/gpt-4o-mini firing", "Slow openai/gpt-4o-mini firing"],
          sent: [
            "hook HighErrors firing:openai/gpt-4o-mini",
            "slack Slow firing:openai/gpt-4o-mini", "hook Slow firing:openai/gpt-4o-mini",
            "term Slow firing:openai/gpt-4o-mini",
          ])
      ],
      config: alerting(
        [rule(receivers: ["hook"]), rule("Slow", "latency_p95 > 5s")],
        receivers: ["slack:slack", "hook:webhook", "term:console"]),
      engine: &engine)
  }

  @Test func aSilenceMutesNotificationsButNotTheStateAndTheAlertIsSentWhenItEnds() {
    var engine = AlertEngine()
    let silence = Silence(
      matchers: ["provider": "ollama"], starts: start, ends: start + .seconds(600),
      comment: "maintenance")
    let both = [
      sample(.errorRate, 0.2, provider: "ollama", model: "llama3"), sample(.errorRate, 0.1),
    ]
    runRuleSteps(
      [
        RuleStep(
          0, both, states: ["\(a) firing", "HighErrors ollama/llama3 firing silenced"],
          sent: ["slack HighErrors firing:openai/gpt-4o-mini"]),
        RuleStep(300, both, states: ["\(a) firing", "HighErrors ollama/llama3 firing silenced"]),
        RuleStep(
          600, both, states: ["\(a) firing", "HighErrors ollama/llama3 firing"],
          sent: ["slack HighErrors firing:openai/gpt-4o-mini firing:ollama/llama3"]),
        RuleStep(615, both, states: ["\(a) firing", "HighErrors ollama/llama3 firing"]),
      ], config: alerting([rule()], silences: [silence]), engine: &engine)
  }

  @Test func anAlertNotifiedBeforeASilenceIsNotifiedAgainWhenTheSilenceEnds() {
    var engine = AlertEngine()
    let silence = Silence(
      matchers: ["alertname": "HighErrors"], starts: start + .seconds(60),
      ends: start + .seconds(120))
    runRuleSteps(
      [
        RuleStep(
          0, [sample(.errorRate, 0.1)], states: ["\(a) firing"],
          sent: ["slack HighErrors firing:openai/gpt-4o-mini"]),
        RuleStep(60, [sample(.errorRate, 0.1)], states: ["\(a) firing silenced"]),
        RuleStep(
          120, [sample(.errorRate, 0.1)], states: ["\(a) firing"],
          sent: ["slack HighErrors firing:openai/gpt-4o-mini"]),
      ], config: alerting([rule()], silences: [silence]), engine: &engine)
  }

  @Test func aResolveOwedToAReceiverIsSentEvenDuringASilence() {
    var engine = AlertEngine()
    let silence = Silence(
      matchers: ["provider": "openai"], starts: start + .seconds(60), ends: start + .seconds(600))
    runRuleSteps(
      [
        RuleStep(
          0, [sample(.errorRate, 0.1)], states: ["\(a) firing"],
          sent: ["slack HighErrors firing:openai/gpt-4o-mini"]),
        RuleStep(60, [sample(.errorRate, 0.1)], states: ["\(a) firing silenced"]),
        RuleStep(
          90, [sample(.errorRate, 0.0)], sent: ["slack HighErrors resolved:openai/gpt-4o-mini"]),
        // Fired and resolved inside the silence: never notified, so no resolve either.
        RuleStep(120, [sample(.errorRate, 0.1)], states: ["\(a) firing silenced"]),
        RuleStep(135, [sample(.errorRate, 0.0)]),
      ], config: alerting([rule()], silences: [silence]), engine: &engine)
  }

  @Test func annotationsAreTemplatedWithLabelsAndHumanValues() {
    var engine = AlertEngine()
    let templated = rule(
      labels: ["team": "ml"],
      annotations: [
        "summary": "{{ .provider }}/{{ .model }} error rate {{ .value }} over {{.threshold}}",
        "description": "team {{ $labels.team }}, {{ .severity }}{{ .nosuch }}, {{ $value }}",
      ])
    let sent = engine.evaluate(
      samples: [sample(.errorRate, 0.0523)], config: alerting([templated]), at: start)
    let alert = sent.first?.alerts.first
    #expect(
      alert?.annotations == [
        "summary": "openai/gpt-4o-mini error rate 5.2% over 5%",
        "description": "team ml, critical, 5.2%",
        "value": "5.2%",
      ])
    #expect(
      alert?.labels == [
        "alertname": "HighErrors", "severity": "critical", "team": "ml", "provider": "openai",
        "model": "gpt-4o-mini",
      ])
    #expect(alert?.value == 0.0523)
  }

  @Test func aRuleWithoutSummaryGetsADefaultOne() {
    var engine = AlertEngine()
    let sent = engine.evaluate(
      samples: [
        sample(.latencyP95, 7.25),
        sample(.costPerHour, 12.4, model: nil),
        SignalSample(signal: .budgetRemainingUSD, labels: ["budget": "monthly"], value: 0.5),
      ],
      config: alerting([
        rule("Slow", "latency_p95 > 5s"), rule("Costly", "cost_per_hour > $10"),
        rule("Budget", "budget_remaining_usd < $1"),
      ]), at: start)
    #expect(
      sent.map { $0.alerts[0].annotations["summary"] ?? "" } == [
        "openai/gpt-4o-mini: latency_p95 is 7.3s (> 5s)",
        "openai: cost_per_hour is $12.40 (> $10.00)",
        "budget monthly: budget_remaining_usd is $0.50 (< $1.00)",
      ])
  }

  @Test func valuesAreFormattedPerUnit() {
    let cases: [(SignalUnit, Double, String)] = [
      (.ratio, 0.052, "5.2%"), (.ratio, 0.05, "5%"), (.ratio, 0.0004, "0.04%"),
      (.ratio, 1, "100%"), (.seconds, 0.85, "850ms"), (.seconds, 1.3, "1.3s"),
      (.seconds, 125, "2m5s"), (.usd, 12.4, "$12.40"), (.usd, 0.5, "$0.50"),
      (.hours, 5.2, "5.2h"), (.count, 3, "3"), (.boolean, 1, "1"),
    ]
    for (unit, value, text) in cases {
      #expect(unit.format(value) == text, "\(unit) \(value)")
    }
  }

  @Test func idsAreUniqueAndDeterministic() {
    func run() -> [String] {
      var engine = AlertEngine()
      var ids: [String] = []
      let config = alerting([rule()], receivers: ["slack:slack", "am:alertmanager"], repeat: 60)
      for step in 0..<10 {
        ids += engine.evaluate(
          samples: [sample(.errorRate, 0.1)], config: config, at: start + .seconds(30 * step)
        ).map(\.id)
      }
      return ids
    }
    let ids = run()
    #expect(ids.count == 10)
    #expect(Set(ids).count == ids.count)
    #expect(run() == ids)
  }

  @Test func fingerprintsAreStableFNV1aOfSortedLabels() {
    #expect(AlertFingerprint.of([:]) == "cbf29ce484222325")
    #expect(AlertFingerprint.fnv1a(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
    let labels = ["alertname": "X", "provider": "openai", "model": "m"]
    #expect(
      AlertFingerprint.of(labels)
        == AlertFingerprint.of(Dictionary(uniqueKeysWithValues: labels.reversed())))
    #expect(AlertFingerprint.of(labels).count == 16)
    #expect(
      AlertFingerprint.of(labels) != AlertFingerprint.of(["alertname": "X", "provider": "openai"]))
  }
}
