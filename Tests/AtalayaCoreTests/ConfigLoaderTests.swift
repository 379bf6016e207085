import AtalayaCore
import Storage
import Testing

@Suite("Config loading")
struct ConfigLoaderTests {
  static let example = """
    listen: 127.0.0.1:9478              # host:port
    state_dir: /var/lib/atalaya
    window: 10m
    defaults: {interval: 30s, timeout: 15s}
    providers:
      - name: openrouter
        type: openrouter
        base_url: https://openrouter.ai/api/v1/
        api_key: ${OPENROUTER_API_KEY}
        headers: {X-Title: my-app}
        interval: 60s
        timeout: 20s
        count_rate_limited: false
        checks:
          - model: anthropic/claude-3.5-sonnet
            max_tokens: 8
            stream: true
            slow: 8s
            interval: 30s
            timeout: 10s
          - kind: models
      - name: local
        type: ollama
        checks:
          - model: llama3.2:1b
    circuit_breaker: {failure_threshold: 5, reset_timeout: 60s, success_threshold: 2}
    """

  @Test func fullExampleParsesToTheExpectedModel() throws {
    let env = ["OPENROUTER_API_KEY": "sk-or-v1-test-0000000000000000"]
    let config = try ConfigLoader.parse(
      yaml: Self.example, file: "/etc/atalaya/atalaya.yaml", environment: env)
    let expected = AtalayaConfig(
      listen: ListenAddress(host: "127.0.0.1", port: 9478),
      stateDir: "/var/lib/atalaya",
      window: .seconds(600),
      defaults: CheckDefaults(interval: .seconds(30), timeout: .seconds(15)),
      providers: [
        ProviderConfig(
          name: "openrouter", type: .openrouter, baseURL: "https://openrouter.ai/api/v1",
          apiKey: Secret("sk-or-v1-test-0000000000000000"),
          headers: [HeaderField(name: "X-Title", value: Secret("my-app"))],
          interval: .seconds(60), timeout: .seconds(20), countRateLimited: false,
          account: AccountPolling(),
          checks: [
            CheckConfig(
              kind: .chat, model: "anthropic/claude-3.5-sonnet", maxTokens: 8, stream: true,
              slow: .seconds(8), interval: .seconds(30), timeout: .seconds(10)),
            CheckConfig(
              kind: .models, model: CheckID.modelsCheckModel, maxTokens: 0, stream: false,
              slow: .seconds(10), interval: .seconds(60), timeout: .seconds(20)),
          ]),
        ProviderConfig(
          name: "local", type: .ollama, baseURL: "http://127.0.0.1:11434", apiKey: nil,
          interval: .seconds(30), timeout: .seconds(15),
          checks: [CheckConfig(model: "llama3.2:1b", interval: .seconds(30), timeout: .seconds(15))]
        ),
      ],
      circuitBreaker: CircuitBreakerConfig(
        failureThreshold: 5, resetTimeout: .seconds(60), successThreshold: 2)
    )
    #expect(config == expected)
    #expect(config.secrets.map { $0.reveal() } == ["sk-or-v1-test-0000000000000000", "my-app"])
  }

  @Test func builtInDefaultsApplyWhenKeysAreLeftOut() throws {
    let config = try ConfigLoader.parse(
      yaml: """
        providers:
          - name: oai
            api_key: sk-test
            checks:
              - model: gpt-4o-mini
          - name: claude
            type: anthropic
            api_key: k
            checks: [{model: claude-3-5-haiku-latest}]
          - name: router
            type: openrouter
            api_key: k
            checks: [{kind: models, interval: 5m}]
        """, file: "a.yaml", environment: [:])
    #expect(config.listen == ListenAddress(host: "127.0.0.1", port: 9478))
    #expect(config.stateDir == nil)
    #expect(config.window == .seconds(600))
    #expect(config.circuitBreaker == CircuitBreakerConfig())
    #expect(
      config.providers.map(\.baseURL) == [
        "https://api.openai.com/v1", "https://api.anthropic.com", "https://openrouter.ai/api/v1",
      ])
    #expect(config.providers[0].type == .openai)
    #expect(config.providers[0].checks == [CheckConfig(model: "gpt-4o-mini")])
    let models = config.providers[2].checks[0]
    #expect(models.model == CheckID.modelsCheckModel)
    #expect(models.maxTokens == 0)
    #expect(models.interval == .seconds(300))
    #expect(models.timeout == .seconds(15))
  }

  @Test func overridesResolveCheckThenProviderThenDefaults() throws {
    let config = try ConfigLoader.parse(
      yaml: """
        defaults: {interval: 2m, timeout: 40s}
        providers:
          - name: a
            type: ollama
            timeout: 30s
            checks:
              - model: m1
              - model: m2
                interval: 45s
              - model: m3
                timeout: 5s
        """, file: "a.yaml", environment: [:])
    let checks = config.providers[0].checks
    #expect(config.providers[0].interval == .seconds(120))
    #expect(config.providers[0].timeout == .seconds(30))
    #expect(checks.map(\.interval) == [.seconds(120), .seconds(45), .seconds(120)])
    #expect(checks.map(\.timeout) == [.seconds(30), .seconds(30), .seconds(5)])
  }

  @Test func listenAcceptsIPv6InBrackets() throws {
    let config = try ConfigLoader.parse(
      yaml: "listen: \"[::1]:9000\"\n" + minimalProviders, file: "a.yaml", environment: [:])
    #expect(config.listen == ListenAddress(host: "::1", port: 9000))
    #expect(config.listen.description == "[::1]:9000")
  }

  @Test func stateDirComesFromTheEnvironmentWhenNotSet() throws {
    let fromEnv = try ConfigLoader.parse(
      yaml: minimalProviders, file: "a.yaml",
      environment: ["STATE_DIRECTORY": "/var/lib/atalaya:/var/lib/other"])
    #expect(fromEnv.stateDir == "/var/lib/atalaya")
    let explicit = try ConfigLoader.parse(
      yaml: "state_dir: /srv/state\n" + minimalProviders, file: "a.yaml",
      environment: ["STATE_DIRECTORY": "/var/lib/atalaya"])
    #expect(explicit.stateDir == "/srv/state")
  }

  @Test func environmentIsInterpolatedInEveryScalar() throws {
    let env = ["PORT": "9100", "MODEL": "gpt-4o", "SECS": "45", "KEY": "sk-interp-1234567890"]
    let config = try ConfigLoader.parse(
      yaml: """
        listen: 0.0.0.0:${PORT}
        providers:
          - name: p
            api_key: ${KEY}
            headers: {X-Note: "costs $$5 per ${MODEL}"}
            checks:
              - model: openai/${MODEL}-mini
                interval: ${SECS}s
        """, file: "a.yaml", environment: env)
    #expect(config.listen.port == 9100)
    let provider = config.providers[0]
    #expect(provider.apiKey?.reveal() == "sk-interp-1234567890")
    #expect(provider.headers[0].value.reveal() == "costs $5 per gpt-4o")
    #expect(provider.checks[0].model == "openai/gpt-4o-mini")
    #expect(provider.checks[0].interval == .seconds(45))
  }

  @Test func dollarNotFollowedByBraceStaysLiteral() throws {
    let config = try ConfigLoader.parse(
      yaml: """
        providers:
          - name: p
            api_key: pa$word$
            checks: [{model: m}]
        """, file: "a.yaml", environment: [:])
    #expect(config.providers[0].apiKey?.reveal() == "pa$word$")
  }

  @Test func nullValuesCountAsAbsent() throws {
    let config = try ConfigLoader.parse(
      yaml: "window:\nstate_dir: ~\n" + minimalProviders, file: "a.yaml", environment: [:])
    #expect(config.window == .seconds(600))
    #expect(config.stateDir == nil)
  }

  @Test func loadReadsARealFile() throws {
    let dir = ConfigTempDir()
    let path = dir.create("atalaya.yaml", minimalProviders)
    let config = try ConfigLoader.load(path: path, environment: [:])
    #expect(config.providers.map(\.name) == ["local"])
  }

  @Test func loadReportsAMissingFileAtLineZero() {
    let dir = ConfigTempDir()
    let path = dir.path + "/nope.yaml"
    #expect {
      _ = try ConfigLoader.load(path: path, environment: [:])
    } throws: { error in
      guard let errors = error as? ConfigErrors, errors.errors.count == 1 else { return false }
      let e = errors.errors[0]
      return e.line == 0 && e.file == path && e.message.contains("No such file or directory")
        && e.description == "\(path): cannot read config file: No such file or directory"
    }
  }
}
