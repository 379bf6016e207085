import AtalayaCore
import Testing

/// `pricing:`, `budgets:`, `probe_budget_per_hour:`, `usage_api:` and `account:`.
@Suite("Config: cost and budgets")
struct CostConfigTests {
  static let providers = """
    providers:
      - name: router
        type: openrouter
        api_key: sk-or-0123456789abcdef
        checks:
          - model: openai/gpt-4o-mini
      - name: local
        type: ollama
        checks:
          - model: llama3

    """

  @Test func decodesEveryKey() throws {
    let yaml =
      Self.providers + """
        pricing:
          "openai/gpt-4o-mini": {input_per_mtok: 0.15, output_per_mtok: 0.60}
        probe_budget_per_hour: 0.25
        usage_api: {bearer_token: 0123456789abcdefXYZ, max_body_bytes: 512KiB}
        budgets:
          - name: monthly-all
            limit_usd: 500
            period: month
            warn_at: [95%, 50%, 0.8]
          - name: router-day
            limit_usd: 5
            period: 24h
            providers: [router]

        """
    let c = try ConfigLoader.parse(yaml: yaml, file: "a.yml", environment: [:])
    #expect(
      c.cost.pricing["openai/gpt-4o-mini"] == ModelPrice(inputPerMTok: 0.15, outputPerMTok: 0.6))
    #expect(c.cost.probeBudgetPerHour == 0.25)
    #expect(c.cost.usageAPI.maxBodyBytes == 512 * 1024)
    #expect(c.cost.usageAPI.bearerToken?.reveal() == "0123456789abcdefXYZ")
    #expect(
      c.cost.budgets[0]
        == BudgetConfig(
          name: "monthly-all", limitUSD: 500, period: .month, warnAt: [0.5, 0.8, 0.95]))
    #expect(c.cost.budgets[1].period == .rolling(.seconds(86_400)))
    #expect(c.cost.budgets[1].providers == ["router"])
    #expect(c.providers[0].account == AccountPolling())  // on by default for openrouter
    #expect(c.providers[1].account == nil)
  }

  @Test func accountIsOpenRouterOnly() throws {
    var yaml = Self.providers.replacing(
      "    type: openrouter\n", with: "    type: openrouter\n    account: {poll_interval: 30s}\n")
    var c = try ConfigLoader.parse(yaml: yaml, file: "a.yml", environment: [:])
    #expect(c.providers[0].account?.pollInterval == .seconds(30))
    yaml = Self.providers.replacing(
      "    type: openrouter\n", with: "    type: openrouter\n    account: false\n")
    c = try ConfigLoader.parse(yaml: yaml, file: "a.yml", environment: [:])
    #expect(c.providers[0].account == nil)
    yaml = Self.providers.replacing(
      "    type: ollama\n", with: "    type: ollama\n    account: true\n")
    let e = try #require(singleConfigError(yaml))
    #expect(e.keyPath == "providers[1].account")
    #expect(e.message.contains("only by providers of type openrouter"))
    #expect(e.line == 9)
  }

  @Test(arguments: [
    ("budgets: [{name: a, limit_usd: 0, period: day}]", "budgets[0].limit_usd", "greater than 0"),
    (
      "budgets: [{name: a, limit_usd: 1, period: fortnight}]", "budgets[0].period", "unknown period"
    ),
    (
      "budgets: [{name: a, limit_usd: 1, period: day, providers: [routr]}]",
      "budgets[0].providers[0]", "did you mean `router`"
    ),
    (
      "budgets: [{name: a, limit_usd: 1, period: day, warn_at: [150%]}]", "budgets[0].warn_at[0]",
      "at most 100%"
    ),
    (
      "budgets: [{name: a, limit_usd: 1, period: day, warn_at: [0%]}]", "budgets[0].warn_at[0]",
      "above 0%"
    ),
    (
      "budgets: [{name: a, limit_usd: 1, period: day, warn_at: [80]}]", "budgets[0].warn_at[0]",
      "80%"
    ),
    (
      "budgets: [{name: a, limit_usd: 1, period: day}, {name: a, limit_usd: 2, period: day}]",
      "budgets[1].name", "duplicate budget"
    ),
    ("budgets: [{name: a, limit_usd: 1}]", "budgets[0].period", "needs a `period`"),
    ("pricing: {m: {input_per_mtok: 1}}", "pricing.m.output_per_mtok", "required"),
    (
      "pricing: {m: {input_per_mtok: -1, output_per_mtok: 1}}", "pricing.m.input_per_mtok",
      "negative"
    ),
    ("probe_budget_per_hour: lots", "probe_budget_per_hour", "expected a number"),
    ("usage_api: {max_body_bytes: 10}", "usage_api.max_body_bytes", "out of range"),
    ("usage_api: {bearer_token: short}", "usage_api.bearer_token", "at least 16"),
    ("admin_api: {bearer_token: short}", "admin_api.bearer_token", "at least 16"),
    (#"admin_api: {bearer_token: "0123456789 abcdef"}"#, "admin_api.bearer_token", "printable"),
    ("admin_api: {token: 0123456789abcdef}", "admin_api.token", "unknown"),
  ])
  func badValuesAreErrorsWithTheirKeyPath(extra: String, path: String, text: String) throws {
    let e = try #require(singleConfigError(Self.providers + extra + "\n"))
    #expect(e.keyPath == path)
    #expect(e.message.contains(text), "\(e.message)")
    #expect(e.line > 0 && e.column > 0)
  }

  @Test func probeSpendOverTheLimitIsRefusedWithTheNumbers() throws {
    let base: String = Self.providers.replacing(
      "      - model: openai/gpt-4o-mini\n",
      with:
        "      - model: openai/gpt-4o-mini\n        interval: 2s\n        timeout: 1s\n        max_tokens: 100\n"
    )
    let yaml =
      base + """
        pricing:
          "openai/gpt-4o-mini": {input_per_mtok: 2.5, output_per_mtok: 10}
        probe_budget_per_hour: 0.50

        """
    let e = try #require(singleConfigError(yaml))
    #expect(e.keyPath == "probe_budget_per_hour")
    // 1800 probes/h × (12 × 2.5 + 100 × 10) / 1e6 = $1.854/h
    #expect(
      e.message.contains("$1.8540/hour exceeds probe_budget_per_hour $0.5000"), "\(e.message)")
    #expect(e.message.contains("router/openai/gpt-4o-mini $1.8540/h (1800 probes/h)"))
    // Ollama is free and an OpenRouter model without a price is not estimated.
    let ok = try ConfigLoader.parse(yaml: Self.providers, file: "a.yml", environment: [:])
    let estimate = ProbeSpendEstimate(config: ok)
    #expect(estimate.totalPerHour == 0)
    #expect(estimate.lines[0].usdPerHour == nil)
    #expect(estimate.lines[0].note?.contains("fetched from OpenRouter at start") == true)
    #expect(estimate.lines[1].usdPerHour == 0)
  }
}

/// The bearer check shared by the usage and admin APIs.
@Suite struct BearerAuthorizationTests {
  let token = Secret("0123456789abcdef")

  @Test(arguments: [
    ("Bearer 0123456789abcdef", true), ("bearer 0123456789abcdef", true),
    ("BEARER  0123456789abcdef", true), ("Bearer 0123456789abcdeF", false),
    ("Bearer 0123456789abcde", false), ("Bearer 0123456789abcdef0", false),
    ("Basic 0123456789abcdef", false), ("0123456789abcdef", false), ("Bearer", false),
    ("Bearer ", false), ("Bearer0123456789abcdef", false), ("", false),
  ])
  func matches(header: String, expected: Bool) {
    #expect(BearerAuthorization.matches(header, token: token) == expected)
  }

  @Test func noHeaderNeverMatches() {
    #expect(!BearerAuthorization.matches(nil, token: token))
  }
}
