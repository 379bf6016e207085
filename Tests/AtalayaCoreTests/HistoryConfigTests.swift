import AtalayaCore
import AtalayaTestSupport
import Storage
import Testing

/// `slos:`, `incidents:` and rule expressions with `and`, as a user writes them.
@Suite struct HistoryConfigTests {
  static let providers = """
    providers:
      - name: openrouter
        type: openrouter
        api_key: x
        checks:
          - model: openai/gpt-4o-mini
          - kind: models
      - name: openai
        api_key: x
        checks:
          - model: gpt-4o-mini

    """

  @Test func slosAndIncidentsParse() throws {
    let config = try ConfigLoader.parse(
      yaml: Self.providers + """
        incidents: {close_after: 5m}
        slos:
          - name: chat-availability
            target: 99.5%
            period: 30d
            providers: [openrouter, openai]
          - name: mini
            target: 0.99
            models: [gpt-4o-mini]
        """, file: "a.yml", environment: [:], files: FileSystemReader())
    #expect(config.incidents.closeAfter == .seconds(300))
    #expect(config.slos.count == 2)
    #expect(
      config.slos[0]
        == SLOConfig(
          name: "chat-availability", target: 0.995, period: .seconds(30 * 86_400),
          providers: ["openrouter", "openai"]))
    #expect(config.slos[1].period == .seconds(30 * 86_400))
    #expect(config.slos[1].models == ["gpt-4o-mini"])
    // The implicit burn-rate rules join the defaults.
    let names = config.effectiveAlerting.rules.map(\.name)
    #expect(names.contains("LLMSLOFastBurn") && names.contains("LLMSLOSlowBurn"))
  }

  @Test(arguments: [
    ("slos:\n  - name: a\n    target: 100%\n", "slos[0].target", "no error budget"),
    (
      "slos:\n  - name: a\n    target: 99%\n    providers: [openruter]\n", "slos[0].providers[0]",
      "did you mean `openrouter`"
    ),
    ("slos:\n  - name: a\n    target: 99%\n    period: 1y\n", "slos[0].period", "invalid duration"),
    ("slos:\n  - name: a\n    target: 99%\n    period: 120d\n", "slos[0].period", "out of range"),
    (
      "slos:\n  - name: a\n    target: 99%\n    models: [llama3]\n", "slos[0].models[0]",
      "no chat check"
    ),
    ("slos:\n  - name: A\n    target: 99%\n", "slos[0].name", "invalid SLO name"),
    ("slos:\n  - name: a\n", "slos[0].target", "needs a `target`"),
    (
      "slos:\n  - {name: a, target: 99%}\n  - {name: a, target: 98%}\n", "slos[1].name",
      "duplicate SLO name"
    ),
    ("incidents: {close_after: 2d}\n", "incidents.close_after", "out of range"),
  ])
  func errorsPointAtTheKey(_ yaml: String, _ path: String, _ fragment: String) {
    let errors = configErrors(Self.providers + yaml)
    #expect(errors.count == 1, "\(errors)")
    #expect(errors.first?.keyPath == path)
    #expect(errors.first?.message.contains(fragment) == true, "\(errors.first?.message ?? "")")
  }

  @Test func anAndErrorIsReportedAtItsLineAndColumn() {
    let errors = configErrors(
      Self.providers + """
        alerting:
          rules:
            - alert: Burn
              expr: slo_burn_rate_1h > 14.4 or slo_burn_rate_5m > 14.4
        """)
    #expect(errors.count == 1, "\(errors)")
    #expect(errors.first?.line == 15)
    #expect(errors.first?.column == 37)
    #expect(errors.first?.message.contains("unexpected `or") == true)
  }
}

/// `atalaya rules` output for SLOs over providers that count `rate_limited` and ones that do
/// not, and over models with regex characters, checked by the real promtool.
@Suite struct PrometheusSLORulesTests {
  @Test func mixedProvidersRenderValidRules() async throws {
    let config = try ConfigLoader.parse(
      yaml: """
        providers:
          - name: openai
            api_key: x
            checks:
              - model: gpt-4o-mini
              - kind: models
          - name: local
            type: ollama
            count_rate_limited: true
            checks:
              - model: llama3.1:8b
        slos:
          - {name: all, target: 99.5%}
          - {name: mini, target: 99%, period: 7d, providers: [openai], models: [gpt-4o-mini]}
        """, file: "a.yml", environment: [:])
    let text = PrometheusSLORules.render(config)
    #expect(text.contains(#"provider=~"openai",model!="_models",result!~"success|rate_limited""#))
    #expect(text.contains(#"provider=~"local",model!="_models",result!="success""#))
    #expect(text.contains(#"model=~"gpt-4o-mini""#))
    #expect(text.contains("atalaya_slo:error_ratio:rate7d"))
    #expect(text.contains("atalaya_slo:error_ratio:rate1h{slo=\"mini\"} > 0.144"))
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let path = try dir.write("slo.rules.yml", text)
    let result = try await Subprocess.run("promtool", ["check", "rules", path])
    #expect(result.status == 0, "\(result.output)\n\(text)")
    #expect(result.output.contains("SUCCESS: 22 rules found"), "\(result.output)")
    #expect(PrometheusSLORules.regexEscaped("a.b/c+") == #"a\\.b/c\\+"#)
  }
}

/// `routes:` as a user writes them.
@Suite struct RouteConfigTests {
  @Test func routesParse() throws {
    let config = try ConfigLoader.parse(
      yaml: HistoryConfigTests.providers + """
        routes:
          - name: coding
            candidates:
              - openrouter/anthropic/claude-3.5-sonnet
              - {provider: openai, model: gpt-4o, rate_limit_requests: 500, rate_limit_window: 30s}
            skip_below: 50%
            max_latency_p95: 8s
            order: health
            disable_for: 5m
        """, file: "a.yml", environment: [:])
    let r = try #require(config.routes.first)
    #expect(
      r.candidates[0]
        == RouteCandidate(provider: "openrouter", model: "anthropic/claude-3.5-sonnet"))
    #expect(r.candidates[1].rateLimit == RequestRateLimit(requests: 500, window: .seconds(30)))
    #expect(r.skipBelow == 0.5 && r.order == .health && r.disableFor == .seconds(300))
    #expect(r.maxLatencyP95 == .seconds(8))
    #expect(config.effectiveAlerting.rules.contains { $0.name == "LLMRouteExhausted" })
  }

  @Test(arguments: [
    (
      "routes:\n  - name: r\n    candidates: [openruter/x]\n", "routes[0].candidates[0]",
      "did you mean `openrouter`"
    ),
    (
      "routes:\n  - name: r\n    candidates: [gpt-4o]\n", "routes[0].candidates[0]",
      "expected provider/model"
    ),
    (
      "routes:\n  - name: r\n    candidates: []\n", "routes[0].candidates", "at least one candidate"
    ),
    (
      "routes:\n  - name: r\n    candidates: [openai/a, openai/a]\n", "routes[0].candidates[1]",
      "listed twice"
    ),
    (
      "routes:\n  - name: r\n    order: fastest\n    candidates: [openai/a]\n", "routes[0].order",
      "expected one of: priority, health"
    ),
    (
      "routes:\n  - name: r\n    candidates: [{provider: openai, model: a, rate_limit_window: 1m}]\n",
      "routes[0].candidates[0].rate_limit_window", "needs `rate_limit_requests`"
    ),
    (
      "routes:\n  - {name: r, candidates: [openai/a]}\n  - {name: r, candidates: [openai/b]}\n",
      "routes[1].name", "duplicate route name"
    ),
  ])
  func errorsPointAtTheKey(_ yaml: String, _ path: String, _ fragment: String) {
    let errors = configErrors(HistoryConfigTests.providers + yaml)
    #expect(errors.count == 1, "\(errors)")
    #expect(errors.first?.keyPath == path)
    #expect(errors.first?.message.contains(fragment) == true, "\(errors.first?.message ?? "")")
  }
}
