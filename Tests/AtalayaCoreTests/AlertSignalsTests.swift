import AtalayaCore
import Testing

/// Signals computed from a real FleetView, and the expression syntax rules use.
@Suite("Alert signals and expressions")
struct AlertSignalsTests {
  @Test func signalsComeFromARealFleetView() {
    let config = AtalayaConfig(
      providers: [
        ProviderConfig(
          name: "openai", baseURL: "http://127.0.0.1:1",
          checks: [CheckConfig(model: "a"), CheckConfig(model: "b", stream: true)]),
        ProviderConfig(
          name: "down", baseURL: "http://127.0.0.1:2", checks: [CheckConfig(model: "x")]),
        ProviderConfig(
          name: "idle", baseURL: "http://127.0.0.1:3", checks: [CheckConfig(model: "y")]),
      ],
      circuitBreaker: CircuitBreakerConfig(failureThreshold: 2))
    var fleet = FleetHealth(config: config)
    let a = CheckID(provider: "openai", model: "a")
    let b = CheckID(provider: "openai", model: "b")
    let x = CheckID(provider: "down", model: "x")
    for (i, latency) in [0.4, 0.5, 0.6].enumerated() {
      var o = outcome(.success, at: t0 + .seconds(30 * i), latency: latency, check: a)
      if i == 1 {
        o.rateLimits = [
          RateLimitReading(resource: .requests, limit: 100, remaining: 25),
          RateLimitReading(resource: .tokens, limit: 1000, remaining: 800),
          RateLimitReading(resource: .inputTokens, remaining: 1),
        ]
      }
      fleet.record(o)
    }
    fleet.record(outcome(.serverError, at: t0 + .seconds(90), check: a))
    fleet.record(outcome(.success, at: t0 + .seconds(10), latency: 1.0, ttft: 0.2, check: b))
    fleet.record(outcome(.timeout, at: t0 + .seconds(80), check: x))
    fleet.record(outcome(.timeout, at: t0 + .seconds(90), check: x))

    let now = t0 + .seconds(100)
    let samples = AlertSignals.samples(from: fleet.view(at: now), at: now)
    var values: [String: Double] = [:]
    for s in samples {
      let series = [s.labels["provider"], s.labels["model"]].compactMap { $0 }.joined(
        separator: "/")
      let key = "\(s.signal.rawValue) \(series)"
      #expect(values[key] == nil, "duplicate \(key)")
      values[key] = s.value
    }
    #expect(
      Set(values.keys) == [
        "error_rate openai/a", "success_rate openai/a", "latency_p50 openai/a",
        "latency_p90 openai/a", "latency_p95 openai/a", "latency_p99 openai/a",
        "consecutive_failures openai/a", "circuit_open openai/a",
        "ratelimit_remaining_ratio openai/a",
        "error_rate openai/b", "success_rate openai/b", "latency_p50 openai/b",
        "latency_p90 openai/b", "latency_p95 openai/b", "latency_p99 openai/b", "ttft_p95 openai/b",
        "consecutive_failures openai/b", "circuit_open openai/b",
        "error_rate down/x", "success_rate down/x", "consecutive_failures down/x",
        "circuit_open down/x",
        "provider_down openai", "provider_degraded openai", "provider_down down",
        "provider_degraded down",
      ])
    #expect(values["error_rate openai/a"] == 0.25)
    #expect(values["success_rate openai/a"] == 0.75)
    #expect(abs(values["latency_p50 openai/a"]! - 0.5) <= 0.5 * sketchTolerance)
    // The sketch's rank ⌊q·(n−1)⌋: p99 of three values is the middle one.
    #expect(abs(values["latency_p99 openai/a"]! - 0.5) <= 0.5 * sketchTolerance)
    #expect(abs(values["ttft_p95 openai/b"]! - 0.2) <= 0.2 * sketchTolerance)
    #expect(values["ratelimit_remaining_ratio openai/a"] == 0.25)
    #expect(values["consecutive_failures openai/a"] == 1)
    #expect(values["circuit_open openai/a"] == 0)
    #expect(values["error_rate openai/b"] == 0)
    #expect(values["error_rate down/x"] == 1)
    #expect(values["consecutive_failures down/x"] == 2)
    #expect(values["circuit_open down/x"] == 1)
    #expect(values["provider_down openai"] == 0)
    #expect(values["provider_degraded openai"] == 1)
    #expect(values["provider_down down"] == 1)
    #expect(values["provider_degraded down"] == 1)
    #expect(samples.allSatisfy { s in Set(s.labels.keys) == Set(s.signal.seriesLabels) })

    // And the default rules see them: the down provider goes pending (for: 1m).
    var engine = AlertEngine()
    _ = engine.evaluate(samples: samples, config: AlertingConfig(), at: now)
    #expect(
      engine.activeAlerts(at: now).map { "\($0.alertname) \($0.labels["provider"] ?? "")" } == [
        "LLMHighErrorRate openai", "LLMHighErrorRate down", "LLMProviderDown down",
      ])
  }

  @Test func expressionsParseEveryValueSyntax() throws {
    let cases: [(String, AlertSignal, ComparisonOperator, Double)] = [
      ("error_rate > 5%", .errorRate, .greater, 0.05),
      ("  error_rate  >  5.5%  ", .errorRate, .greater, 0.055),
      ("latency_p95>=1.5s", .latencyP95, .greaterOrEqual, 1.5),
      ("latency_p99 < 500ms", .latencyP99, .less, 0.5),
      ("ttft_p95 > 2", .ttftP95, .greater, 2),
      ("latency_p50 <= 1m30s", .latencyP50, .lessOrEqual, 90),
      ("budget_remaining_usd < $0.50", .budgetRemainingUSD, .less, 0.5),
      ("cost_per_hour > $10", .costPerHour, .greater, 10),
      ("budget_exhaustion_hours < 24h", .budgetExhaustionHours, .less, 24),
      ("budget_exhaustion_hours < 90m", .budgetExhaustionHours, .less, 1.5),
      ("provider_down == 1", .providerDown, .equal, 1),
      ("circuit_open != 0", .circuitOpen, .notEqual, 0),
      ("consecutive_failures >= 3", .consecutiveFailures, .greaterOrEqual, 3),
      ("success_rate <= 0.9", .successRate, .lessOrEqual, 0.9),
      ("ratelimit_remaining_ratio < 10%", .ratelimitRemainingRatio, .less, 0.1),
    ]
    for (text, signal, op, value) in cases {
      let parsed = try AlertExpression.parse(text).get()
      #expect(parsed.signal == signal, "\(text)")
      #expect(parsed.op == op, "\(text)")
      #expect(abs(parsed.value - value) < 1e-12, "\(text)")
      #expect(parsed.text == text)
    }
  }

  @Test func expressionErrorsSayWhatWasExpectedAndWhere() {
    let cases: [(String, Int, String)] = [
      ("", 0, "expected an expression SIGNAL OP VALUE"),
      ("> 5%", 0, "expected a signal name, got `> 5%`"),
      ("latency > 5s", 0, "unknown signal `latency`"),
      ("error_rate > 1e3", 13, "invalid value `1e3`"),
      ("error_rate > $-1", 13, "invalid value `$-1`"),
      ("cost_per_hour > 10%", 16, "a percentage `10%` does not fit `cost_per_hour` (usd)"),
      ("consecutive_failures > 5s", 23, "a duration `5s` does not fit"),
      ("error_rate => 5%", 11, "did you mean `>=`?"),
      ("error_rate > 5% 6%", 16, "unexpected `6%`"),
    ]
    for (text, offset, fragment) in cases {
      switch AlertExpression.parse(text) {
      case .success(let e): Issue.record("`\(text)` parsed as \(e)")
      case .failure(let error):
        #expect(error.offset == offset, "\(text): \(error)")
        #expect(error.message.contains(fragment), "\(text): \(error.message)")
      }
    }
  }

  @Test func rfc3339TimesParse() {
    #expect(RFC3339.parse("2000-02-29T12:30:15Z") == Timestamp(seconds: 951_827_415))
    #expect(RFC3339.parse("2000-02-29t12:30:15.5z") == Timestamp(seconds: 951_827_415.5))
    #expect(RFC3339.parse("2000-02-29T14:30:15+02:00") == Timestamp(seconds: 951_827_415))
    #expect(RFC3339.parse("2000-02-29T10:00:15-02:30") == Timestamp(seconds: 951_827_415))
    for bad in [
      "2001-02-29T00:00:00Z", "2000-02-29T12:30:15", "2000-13-01T00:00:00Z", "2000-01-01",
      "2000-01-01T24:00:00Z", "2000-01-01T00:00:00Zjunk", "",
    ] {
      #expect(RFC3339.parse(bad) == nil, "\(bad)")
    }
    let t = Timestamp(seconds: 1_796_083_200.25)
    #expect(RFC3339.parse(RFC3339.format(t)) == t)
  }
}
