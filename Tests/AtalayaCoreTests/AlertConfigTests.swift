import AtalayaCore
import Testing

/// The `alerting:` section: a full example, defaults, and each kind of error at its
/// exact line and column.
@Suite("Alerting config")
struct AlertConfigTests {
  static let example = """
    alerting:
      evaluation_interval: 15s
      repeat_interval: 4h          # remind while still firing
      resend_interval: 2m
      send_resolved: true
      rules:
        - alert: LLMHighErrorRate
          expr: error_rate > 5%
          for: 2m
          keep_firing_for: 1m
          severity: critical
          receivers: [slack]
          labels: {team: ml}
          annotations: {summary: "{{ .provider }}/{{ .model }} error rate {{ .value }}"}
        - alert: LLMBudget
          expr: budget_remaining_usd < $0.50
      receivers:
        - {name: slack, type: slack, url: "${SLACK_WEBHOOK_URL}"}
        - {name: hook, type: webhook, url: "http://127.0.0.1:5001/alerts", headers: {X-Env: prod}, bearer_token: tok-123456789, timeout: 5s, max_age: 1h}
        - {name: am, type: alertmanager, url: "http://127.0.0.1:9093"}
        - {name: term, type: console}
      silences:
        - {matchers: {provider: ollama}, starts: 2026-12-01T00:00:00Z, ends: 2026-12-01T02:00:00Z, comment: maintenance}

    """ + minimalProviders

  @Test func theIssueExampleParsesToTheExpectedModel() throws {
    let slackURL = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX"
    let config = try ConfigLoader.parse(
      yaml: Self.example, file: "atalaya.yaml", environment: ["SLACK_WEBHOOK_URL": slackURL])
    let expected = AlertingConfig(
      evaluationInterval: .seconds(15), repeatInterval: .seconds(4 * 3600),
      resendInterval: .seconds(120), sendResolved: true,
      rules: [
        AlertRule(
          name: "LLMHighErrorRate",
          expr: AlertExpression(
            signal: .errorRate, op: .greater, value: 0.05, text: "error_rate > 5%"),
          forDuration: .seconds(120), keepFiringFor: .seconds(60), severity: "critical",
          receivers: ["slack"], labels: ["team": "ml"],
          annotations: ["summary": "{{ .provider }}/{{ .model }} error rate {{ .value }}"]),
        AlertRule(
          name: "LLMBudget",
          expr: AlertExpression(
            signal: .budgetRemainingUSD, op: .less, value: 0.5,
            text: "budget_remaining_usd < $0.50")),
      ],
      receivers: [
        ReceiverConfig(name: "slack", kind: .slack, url: Secret(slackURL)),
        ReceiverConfig(
          name: "hook", kind: .webhook, url: Secret("http://127.0.0.1:5001/alerts"),
          headers: [HeaderField(name: "X-Env", value: Secret("prod"))],
          bearerToken: Secret("tok-123456789"), timeout: .seconds(5), maxAge: .seconds(3600)),
        ReceiverConfig(name: "am", kind: .alertmanager, url: Secret("http://127.0.0.1:9093")),
        ReceiverConfig(name: "term", kind: .console),
      ],
      silences: [
        Silence(
          matchers: ["provider": "ollama"], starts: Timestamp(seconds: 1_796_083_200),
          ends: Timestamp(seconds: 1_796_090_400), comment: "maintenance", id: "config:0")
      ])
    #expect(config.alerting == expected)
    #expect(config.alerting.secrets.map { $0.reveal() }.contains(slackURL))
    #expect(config.alerting.secrets.map { $0.reveal() }.contains("tok-123456789"))
  }

  @Test func withoutRulesTheDefaultRulesApplyAndAnEmptyListMeansNone() throws {
    let absent = try ConfigLoader.parse(yaml: minimalProviders, file: "a.yaml", environment: [:])
    #expect(absent.alerting.rules == AlertRule.defaults)
    #expect(absent.alerting.receivers.isEmpty)
    let noRulesKey = try ConfigLoader.parse(
      yaml: "alerting: {send_resolved: false}\n" + minimalProviders, file: "a.yaml",
      environment: [:])
    #expect(noRulesKey.alerting.rules == AlertRule.defaults)
    #expect(noRulesKey.alerting.sendResolved == false)
    let none = try ConfigLoader.parse(
      yaml: "alerting: {rules: []}\n" + minimalProviders, file: "a.yaml", environment: [:])
    #expect(none.alerting.rules.isEmpty)
  }

  @Test func theDefaultRulesAreTheIssueDefaults() throws {
    let summary = AlertRule.defaults.map {
      "\($0.expr.text) for \(formatDuration($0.forDuration)) \($0.severity)"
    }
    #expect(
      summary == [
        "error_rate > 5% for 2m critical", "latency_p95 > 5s for 5m warning",
        "provider_down == 1 for 1m critical", "model_listed == 0 for 0s warning",
        "cost_per_hour > $10 for 10m warning",
        "budget_remaining_usd < $10 for 0s critical", "budget_used_ratio >= 80% for 0s warning",
      ])
    for rule in AlertRule.defaults {
      #expect(try AlertExpression.parse(rule.expr.text).get() == rule.expr)
    }
  }

  // MARK: Errors

  private func expectError(
    _ yaml: String, env: [String: String] = [:], path: String, line: Int, column: Int,
    _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard
      let error = singleConfigError(
        yaml + minimalProviders, env: env, sourceLocation: sourceLocation)
    else { return }
    #expect(error.keyPath == path, sourceLocation: sourceLocation)
    #expect(error.line == line, "line", sourceLocation: sourceLocation)
    #expect(error.column == column, "column", sourceLocation: sourceLocation)
    #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
  }

  private func ruleWith(_ expr: String) -> String {
    "alerting:\n  rules:\n    - alert: A\n      expr: \(expr)\n"
  }

  @Test func malformedExpressionsPointAtTheOffendingCharacter() {
    let path = "alerting.rules[0].expr"
    expectError(
      ruleWith("error_rate >> 5%"), path: path, line: 4, column: 24, "unknown operator `>>`")
    expectError(ruleWith("error_rate = 5%"), path: path, line: 4, column: 24, "did you mean `==`?")
    expectError(
      ruleWith("error_rate >"), path: path, line: 4, column: 25, "expected a value after `>`")
    expectError(
      ruleWith("error_rate 5%"), path: path, line: 4, column: 24,
      "expected an operator (> >= < <= == !=) after `error_rate`")
    expectError(
      ruleWith("\"error_rate > 5% or more\""), path: path, line: 4, column: 30,
      "unexpected `or more` after the value")
    expectError(ruleWith("error_rate > 5x"), path: path, line: 4, column: 26, "invalid value `5x`")
  }

  @Test func anUnknownSignalSuggestsTheClosest() {
    expectError(
      ruleWith("eror_rate > 5%"), path: "alerting.rules[0].expr", line: 4, column: 13,
      "unknown signal `eror_rate` (did you mean `error_rate`?)")
  }

  @Test func aValueWhoseUnitDoesNotFitTheSignalIsAnError() {
    expectError(
      ruleWith("error_rate > 5s"), path: "alerting.rules[0].expr", line: 4, column: 26,
      "a duration `5s` does not fit `error_rate` (ratio); write a percentage like 5%")
    expectError(
      ruleWith("latency_p95 > 5%"), path: "alerting.rules[0].expr", line: 4, column: 27,
      "a percentage `5%` does not fit `latency_p95` (seconds)")
    expectError(
      ruleWith("provider_down == $1"), path: "alerting.rules[0].expr", line: 4, column: 30,
      "a dollar amount `$1` does not fit `provider_down`")
  }

  @Test func anUnknownReceiverInARuleIsAnError() {
    expectError(
      """
      alerting:
        receivers:
          - {name: slack, type: slack, url: "https://hooks.slack.com/services/x"}
        rules:
          - alert: A
            expr: error_rate > 5%
            receivers: [slak]

      """, path: "alerting.rules[0].receivers[0]", line: 7, column: 19,
      "unknown receiver `slak` (did you mean `slack`?); configured receivers: slack")
    expectError(
      "alerting:\n  rules:\n    - {alert: A, expr: error_rate > 5%, receivers: [x]}\n",
      path: "alerting.rules[0].receivers[0]", line: 3, column: 53, "no receivers are configured")
  }

  @Test func duplicateRuleAndReceiverNamesAreErrors() {
    expectError(
      """
      alerting:
        rules:
          - {alert: A, expr: error_rate > 5%}
          - {alert: A, expr: error_rate > 9%}

      """, path: "alerting.rules[1].alert", line: 4, column: 15,
      "duplicate rule name `A` (first used at line 3)")
    expectError(
      """
      alerting:
        receivers:
          - {name: hook, type: webhook, url: "http://127.0.0.1:5001/a"}
          - {name: hook, type: console}

      """, path: "alerting.receivers[1].name", line: 4, column: 14,
      "duplicate receiver name `hook` (first used at line 3)")
  }

  @Test func badDurationsAreErrors() {
    expectError(
      ruleWith("error_rate > 5%") + "      for: 2x\n", path: "alerting.rules[0].for", line: 5,
      column: 12, "invalid duration `2x`")
    expectError(
      "alerting:\n  evaluation_interval: 15\n", path: "alerting.evaluation_interval", line: 2,
      column: 24, "a duration needs a unit")
    expectError(
      "alerting:\n  resend_interval: 2h\n", path: "alerting.resend_interval", line: 2,
      column: 20, "2h is out of range")
  }

  @Test func aSilenceThatEndsBeforeItStartsIsAnError() {
    expectError(
      """
      alerting:
        silences:
          - matchers: {provider: ollama}
            starts: 2026-12-01T02:00:00Z
            ends: 2026-12-01T00:00:00Z

      """, path: "alerting.silences[0].ends", line: 5, column: 13,
      "ends (2026-12-01T00:00:00.000Z) must be after starts (2026-12-01T02:00:00.000Z)")
    expectError(
      """
      alerting:
        silences:
          - {matchers: {provider: ollama}, starts: yesterday, ends: 2026-12-01T00:00:00Z}

      """, path: "alerting.silences[0].starts", line: 3, column: 46, "expected RFC 3339")
  }

  @Test func badLabelNamesAreErrors() {
    expectError(
      ruleWith("error_rate > 5%") + "      labels: {team-name: ml}\n",
      path: "alerting.rules[0].labels.team-name", line: 5, column: 16,
      "invalid label name `team-name`")
    expectError(
      ruleWith("error_rate > 5%") + "      labels: {severity: page}\n",
      path: "alerting.rules[0].labels.severity", line: 5, column: 16,
      "use the rule's `severity` key")
    expectError(
      "alerting:\n  silences:\n    - {matchers: {9x: y}, starts: 2026-12-01T00:00:00Z, ends: 2026-12-01T02:00:00Z}\n",
      path: "alerting.silences[0].matchers.9x", line: 3, column: 19, "invalid label name `9x`")
  }

  @Test func receiverMistakesAreErrors() {
    expectError(
      "alerting:\n  receivers:\n    - name: s\n      type: slack\n",
      path: "alerting.receivers[0].url", line: 3, column: 7, "a `slack` receiver needs a `url`")
    expectError(
      "alerting:\n  receivers:\n    - {name: s, type: slck, url: \"http://x\"}\n",
      path: "alerting.receivers[0].type", line: 3, column: 23, "(did you mean `slack`?)")
    expectError(
      "alerting:\n  receivers:\n    - {name: t, type: console, url: \"http://x\"}\n",
      path: "alerting.receivers[0].url", line: 3, column: 37, "remove `url`")
    expectError(
      "alerting:\n  receivers:\n    - {name: s, type: slack, url: \"${SLACK_WEBHOOK_URL}\"}\n",
      path: "alerting.receivers[0].url", line: 3, column: 35,
      "environment variable `SLACK_WEBHOOK_URL` is not set")
  }

  @Test func aReceiverURLIsNeverShownInAnError() {
    let secret = "xoxb-super-secret-token-1234567890"
    let errors = configErrors(
      "alerting:\n  receivers:\n    - {name: s, type: slack, url: \"ftp://${TOKEN}\"}\n"
        + minimalProviders, env: ["TOKEN": secret])
    #expect(errors.count == 1)
    #expect(errors.first?.message.contains("http:// or https://") == true)
    #expect(!errors.description.contains(secret))
  }

  @Test func severityAndTemplateMistakesAreErrors() {
    expectError(
      ruleWith("error_rate > 5%") + "      severity: critcal\n",
      path: "alerting.rules[0].severity", line: 5, column: 17, "(did you mean `critical`?)")
    expectError(
      ruleWith("error_rate > 5%") + "      annotations: {summary: \"{{ .provider\"}\n",
      path: "alerting.rules[0].annotations.summary", line: 5, column: 30, "unterminated `{{`")
    expectError(
      ruleWith("error_rate > 5%") + "      annotations: {summary: \"{{ range .x }}\"}\n",
      path: "alerting.rules[0].annotations.summary", line: 5, column: 30, "unsupported template")
  }

  @Test func unknownAlertingKeysSuggestTheClosest() {
    expectError(
      "alerting:\n  repeat_interva: 4h\n", path: "alerting.repeat_interva", line: 2, column: 3,
      "did you mean `repeat_interval`?")
  }
}

@Suite("Alerting config summary")
struct AlertConfigSummaryTests {
  @Test func theSummaryListsRulesAndReceiversWithoutSecrets() throws {
    let config = try ConfigLoader.parse(
      yaml: AlertConfigTests.example, file: "a.yaml",
      environment: ["SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T0/B0/secret123456"])
    let lines = config.alerting.summaryLines()
    #expect(
      lines == [
        "alerting: 2 rules, evaluated every 15s",
        "  LLMHighErrorRate: error_rate > 5% for 2m [critical] -> slack",
        "  LLMBudget: budget_remaining_usd < $0.50 [warning]",
        "receivers: slack (slack), hook (webhook), am (alertmanager), term (console)",
        "silences: 1",
        "inhibition: 1 rule (default: LLMProviderDown mutes its provider's error-rate and latency alerts)",
      ])
    #expect(
      AlertingConfig().summaryLines().first == "alerting: 7 rules (defaults), evaluated every 15s")
    let window = MaintenanceWindow(
      name: "upgrades", weekdays: [.sunday], start: 120, length: .seconds(3600),
      matchers: [try LabelMatcher.parse(#"provider="ollama""#)])
    let more = AlertingConfig(inhibitRules: [], maintenance: [window]).summaryLines()
    #expect(
      more.suffix(2) == [
        #"maintenance: upgrades, Sun 02:00-03:00 UTC: provider="ollama""#, "inhibition: off",
      ])
  }
}
