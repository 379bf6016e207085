import AtalayaCore
import Storage
import Testing

/// `circuit_breaker:` at every level, `expect:` on models checks and the reasoning-model
/// probe defaults, as a user writes them.
@Suite struct ConfigBreakerAndProbeTests {
  func parse(_ yaml: String) throws -> AtalayaConfig {
    try ConfigLoader.parse(
      yaml: yaml, file: "atalaya.yaml", environment: ["K": "sk-x"], files: FileSystemReader())
  }

  @Test func breakerSettingsInheritTopProviderCheck() throws {
    let config = try parse(
      """
      circuit_breaker:
        failure_threshold: 3
        quota_recheck: 30m
      providers:
        - name: openai
          api_key: ${K}
          circuit_breaker:
            error_rate: {threshold: 10%, window: 100, min_requests: 10}
            excluded_classes: [rate_limited, overloaded]
          checks:
            - model: gpt-4o-mini
            - model: gpt-4o
              circuit_breaker:
                failure_threshold: 8
                latency: {threshold: 8s, consecutive: 3}
                half_open_probes: 3
        - name: plain
          type: ollama
          checks:
            - model: llama3
      """)
    let top = config.circuitBreaker
    #expect(top.failureThreshold == 3)
    #expect(top.quotaRecheck == .seconds(1800))
    let mini = config.breaker(for: config.providers[0].checks[0])
    #expect(mini.failureThreshold == 3)
    #expect(mini.quotaRecheck == .seconds(1800))
    #expect(mini.errorRate == .init(threshold: 0.1, window: 100, minRequests: 10))
    #expect(mini.excludedClasses == [.rateLimited, .overloaded])
    let big = config.breaker(for: config.providers[0].checks[1])
    #expect(big.failureThreshold == 8)
    #expect(big.errorRate != nil)
    #expect(big.latency == .init(threshold: .seconds(8), consecutive: 3))
    #expect(big.halfOpenProbes == 3)
    #expect(big.successThreshold == 2)
    // A check with nothing of its own runs with the top level's settings.
    #expect(config.providers[1].checks[0].circuitBreaker == nil)
    #expect(config.breaker(for: config.providers[1].checks[0]) == top)
  }

  @Test func countRateLimitedCountsThemUnlessExcludedClassesSaysOtherwise() throws {
    let config = try parse(
      """
      providers:
        - name: local
          type: ollama
          count_rate_limited: true
          checks:
            - model: llama3
      """)
    #expect(
      !config.breaker(for: config.providers[0].checks[0]).excludedClasses.contains(.rateLimited))
    let errors = configErrors(
      """
      providers:
        - name: local
          type: ollama
          count_rate_limited: true
          circuit_breaker:
            excluded_classes: [rate_limited]
          checks:
            - model: llama3
      """)
    #expect(errors.count == 1)
    #expect(errors.first?.keyPath == "providers[0].circuit_breaker.excluded_classes")
    #expect(errors.first?.message.contains("count_rate_limited") == true)
  }

  @Test(arguments: [
    (
      "circuit_breaker:\n  half_open_probes: 1\n", "circuit_breaker.half_open_probes",
      "could never close"
    ),
    (
      "circuit_breaker:\n  excluded_classes: [rate_limted]\n",
      "circuit_breaker.excluded_classes[0]", "did you mean `rate_limited`"
    ),
    (
      "circuit_breaker:\n  excluded_classes: [success]\n", "circuit_breaker.excluded_classes[0]",
      "not a failure"
    ),
    (
      "circuit_breaker:\n  error_rate: {threshold: 150%}\n", "circuit_breaker.error_rate.threshold",
      "at most 100%"
    ),
    (
      "circuit_breaker:\n  error_rate: {window: 1000}\n", "circuit_breaker.error_rate.window",
      "1...256"
    ),
    (
      "circuit_breaker:\n  error_rate: {window: 5, min_requests: 10}\n",
      "circuit_breaker.error_rate.min_requests", "1...5"
    ),
    (
      "circuit_breaker:\n  latency: {consecutive: 3}\n", "circuit_breaker.latency.threshold",
      "needs a `threshold`"
    ),
    ("circuit_breaker:\n  quota_recheck: 0s\n", "circuit_breaker.quota_recheck", "out of range"),
  ])
  func breakerErrorsPointAtTheKey(_ breaker: String, _ path: String, _ fragment: String) {
    let errors = configErrors(breaker + minimalProviders)
    #expect(errors.count == 1, "\(errors)")
    #expect(errors.first?.keyPath == path)
    #expect(errors.first?.message.contains(fragment) == true, "\(errors.first?.message ?? "")")
  }

  @Test func modelsCheckExpectations() throws {
    let config = try parse(
      """
      providers:
        - name: openai
          api_key: ${K}
          checks:
            - kind: models
              expect: [gpt-4o-mini, o3-mini]
      """)
    #expect(config.providers[0].checks[0].expectedModels == ["gpt-4o-mini", "o3-mini"])
    let onChat = configErrors(
      "providers:\n  - name: local\n    type: ollama\n    checks:\n      - model: llama3\n        expect: [x]\n"
    )
    #expect(onChat.first?.keyPath == "providers[0].checks[0].expect")
    let twice = configErrors(
      "providers:\n  - name: local\n    type: ollama\n    checks:\n      - kind: models\n        expect: [a, a]\n"
    )
    #expect(twice.first?.message.contains("listed twice") == true)
  }

  @Test func reasoningModelsGetTheLowestEffortAndATokenFloor() throws {
    let config = try parse(
      """
      providers:
        - name: openai
          api_key: ${K}
          checks:
            - model: gpt-4o-mini
            - model: gpt-5-nano
            - model: o4-mini
            - model: o1-mini
            - model: gpt-5.1
            - model: o3-mini
              max_tokens: 32
            - model: gpt-5-mini
              reasoning_effort: low
            - model: gpt-5
              reasoning_effort: default
        - name: openrouter
          type: openrouter
          api_key: ${K}
          checks:
            - model: openai/o3
            - model: deepseek/deepseek-r1
            - model: anthropic/claude-3.5-sonnet
      """)
    let checks = config.providers[0].checks
    func shape(_ c: CheckConfig) -> String { "\(c.reasoningEffort ?? "-")/\(c.maxTokens)" }
    #expect(
      checks.map(shape) == [
        "-/8", "minimal/64", "low/256", "-/256", "none/16", "low/32", "low/64", "-/64",
      ])
    #expect(config.providers[1].checks.map(shape) == ["low/256", "low/256", "-/8"])
    let bad = configErrors(
      "providers:\n  - name: o\n    api_key: x\n    checks:\n      - model: o3\n        reasoning_effort: tiny\n"
    )
    #expect(bad.first?.message.contains("expected one of: none, minimal, low") == true)
    let anthropic = configErrors(
      "providers:\n  - name: a\n    type: anthropic\n    api_key: x\n    checks:\n      - model: claude\n        reasoning_effort: low\n"
    )
    #expect(anthropic.first?.keyPath == "providers[0].checks[0].reasoning_effort")
  }

  @Test func checkShowsTheReasoningProbeAndItsCost() throws {
    let config = try parse(
      """
      pricing:
        "openai/o4-mini": {input_per_mtok: 1.10, output_per_mtok: 4.40}
      providers:
        - name: openai
          api_key: ${K}
          interval: 60s
          checks:
            - model: o4-mini
      """)
    let summary = ConfigSummary(config: config)
    let table = summary.render()
    #expect(table.contains("low/256"), "\(table)")
    // 60 probes/hour × (12 × $1.10 + 256 × $4.40) / 1M
    let spend = summary.probeSpend
    let expected = 60 * (12 * 1.10 + 256 * 4.40) / 1_000_000
    #expect(abs(spend.totalPerHour - expected) < 1e-12)
    #expect(spend.render().contains("reasoning effort low, 256 tokens"), "\(spend.render())")
  }
}
