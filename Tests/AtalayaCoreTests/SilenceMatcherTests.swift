import AtalayaCore
import Testing

/// Config silences with Alertmanager's matchers: `=`, `!=`, `=~`, `!~`, regular
/// expressions anchored to the whole value, a missing label as "".
@Suite struct SilenceMatcherTests {
  static let t0 = Timestamp(seconds: 1_800_000_000)

  static func text(_ matchers: String) -> String {
    """
    providers:
      - {name: local, type: ollama, checks: [{model: llama3}]}
    alerting:
      silences:
        - matchers: \(matchers)
          starts: 2027-01-15T00:00:00Z
          ends: 2027-01-16T00:00:00Z

    """
  }

  static func silence(_ matchers: String) throws -> Silence {
    let config = try ConfigLoader.parse(
      yaml: text(matchers), file: "t.yml", environment: [:])
    return try #require(config.alerting.silences.first)
  }

  @Test func matchersAreAnchoredAndCombined() throws {
    let now = Timestamp(seconds: 1_800_000_000)  // 2027-01-15T08:00:00Z
    let s = try Self.silence(#"['provider=~"open.*"', 'model!~"gpt-4.*"', "region != us"]"#)
    #expect(
      s.labelMatchers.map(\.description) == [
        #"provider=~"open.*""#, #"model!~"gpt-4.*""#, #"region!="us""#,
      ])
    #expect(s.mutes(["provider": "openai", "model": "o3"], at: now))
    #expect(!s.mutes(["provider": "openai", "model": "gpt-4o"], at: now))
    #expect(!s.mutes(["provider": "openai", "model": "o3", "region": "us"], at: now))
    #expect(!s.mutes(["provider": "myopenai", "model": "o3"], at: now), "anchored at the start")
    let partial = try Self.silence(#"['provider=~"open"']"#)
    #expect(!partial.mutes(["provider": "openai"], at: now), "anchored at the end")
    #expect(partial.mutes(["provider": "open"], at: now))
    #expect(!partial.mutes(["provider": "open"], at: now + .seconds(86_400)), "ended")
    // The map form still means equality.
    let map = try Self.silence("{provider: openai}")
    #expect(map.mutes(["provider": "openai"], at: now) && !map.mutes(["provider": "o"], at: now))
  }

  @Test func aRegexSilenceMutesItsAlertsInTheEngine() throws {
    var config = try ConfigLoader.parse(
      yaml: Self.text(#"['provider=~"o.*"']"#), file: "t.yml", environment: [:]
    ).alerting
    config.rules = [
      AlertRule(
        name: "Failing",
        expr: AlertExpression(
          signal: .consecutiveFailures, op: .greaterOrEqual, value: 1, text: "cf >= 1"))
    ]
    config.receivers = [ReceiverConfig(name: "hook", kind: .console)]
    var engine = AlertEngine()
    let samples = ["openai", "groq"].map {
      SignalSample(signal: .consecutiveFailures, labels: ["provider": $0], value: 2)
    }
    let sent = engine.evaluate(samples: samples, config: config, at: Self.t0)
    #expect(sent.flatMap(\.alerts).compactMap { $0.labels["provider"] } == ["groq"])
    #expect(engine.instances.values.filter(\.silenced).map { $0.labels["provider"] } == ["openai"])
  }

  @Test func badMatchersAreConfigErrorsAtTheirPosition() {
    for (matchers, needle) in [
      (#"['provider=~"("']"#, "invalid regular expression"),
      (#"['provider=~".*"']"#, "mute every alert"),
      (#"['provider~"x"']"#, "expected =, !=, =~ or !~"),
      (#"['9x="a"']"#, "invalid label name"),
      (#"['provider="open']"#, "unterminated"),
    ] {
      let errors = configErrors(Self.text(matchers), file: "t.yml")
      let text = errors.map(\.description).joined(separator: "\n")
      #expect(text.contains(needle), "\(matchers): \(text)")
      #expect(text.contains("t.yml:5:"), "\(matchers): \(text)")
    }
  }

  /// Swift's Regex backtracks (Alertmanager's RE2 does not): the constructs that make
  /// backtracking explode are refused; ordinary label patterns are not.
  @Test func expensiveRegularExpressionsAreRefused() {
    for pattern in [
      "(a+)*", "(.*x)+", "(a|aa)*", "((ab)*c)+", "(a*){2,}", #"(\d+)*"#, #"(a)\1"#, "(?=a)b",
      "(?<!x)y",
    ] {
      #expect(throws: LabelMatcher.Problem.self, "\(pattern)") {
        try LabelMatcher(name: "model", op: .matches, value: pattern)
      }
    }
    for pattern in [
      "gpt-4.*", "open.*", "(openai|anthropic)", "(a|b)?", "(ab)*", "[a-z]+-[0-9]{1,3}",
      #"claude-\d+(\.\d+)?"#, "(x+)?", "[(+*]*", #"\(a+\)*"#,
    ] {
      #expect(throws: Never.self, "\(pattern)") {
        try LabelMatcher(name: "model", op: .matches, value: pattern)
      }
    }
  }
}
