import AtalayaCore
import Testing

/// Each kind of config error: its key path, its exact line:column and its message.
@Suite("Config errors")
struct ConfigErrorTests {
  private func expectError(
    _ yaml: String, env: [String: String] = [:], path: String, line: Int, column: Int,
    _ fragment: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let error = singleConfigError(yaml, env: env, sourceLocation: sourceLocation) else {
      return
    }
    #expect(error.keyPath == path, sourceLocation: sourceLocation)
    #expect(error.line == line, "line", sourceLocation: sourceLocation)
    #expect(error.column == column, "column", sourceLocation: sourceLocation)
    #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
  }

  @Test func descriptionHasFileLineColumnPathAndMessage() {
    let error = ConfigError(
      file: "a.yaml", line: 3, column: 7, keyPath: "providers[1].checks[0].slow", message: "bad")
    #expect(error.description == "a.yaml:3:7: providers[1].checks[0].slow: bad")
    let errors = ConfigErrors(errors: [
      error, ConfigError(file: "a.yaml", line: 1, column: 1, keyPath: "", message: "x"),
    ])
    #expect(errors.description == "a.yaml:3:7: providers[1].checks[0].slow: bad\na.yaml:1:1: x")
  }

  @Test func unknownKeySuggestsTheClosestKnownKey() {
    expectError(
      "defaults:\n  intervl: 30s\n" + minimalProviders, path: "defaults.intervl", line: 2,
      column: 3,
      "unknown key `intervl`; did you mean `interval`?")
  }

  @Test func unknownKeyFarFromAnyListsTheKnownKeys() {
    expectError(
      "colour: blue\n" + minimalProviders, path: "colour", line: 1, column: 1,
      "known keys: listen, state_dir")
  }

  @Test func maxCompletionTokensIsNotAKey() {
    expectError(
      """
      providers:
        - name: local
          type: ollama
          checks:
            - model: llama3
              max_completion_tokens: 8
      """, path: "providers[0].checks[0].max_completion_tokens", line: 6, column: 9,
      "use `max_tokens`")
  }

  @Test func wrongTypeNamesWhatWasFound() {
    expectError(
      "window: [1, 2]\n" + minimalProviders, path: "window", line: 1, column: 9, "got a list")
    expectError(
      "defaults: 30s\n" + minimalProviders, path: "defaults", line: 1, column: 11, "got a scalar")
    expectError(
      "providers: {name: x}", path: "providers", line: 1, column: 12, "expected a list of providers"
    )
  }

  @Test func badDurationsAndRanges() {
    expectError(
      "window: 30\n" + minimalProviders, path: "window", line: 1, column: 9, "add one, e.g. 30s")
    expectError(
      "window: soon\n" + minimalProviders, path: "window", line: 1, column: 9,
      "invalid duration `soon`")
    expectError(
      "window: 5s\n" + minimalProviders, path: "window", line: 1, column: 9,
      "5s is out of range; allowed: 10s...24h")
    expectError(
      "circuit_breaker:\n  failure_threshold: 0\n" + minimalProviders,
      path: "circuit_breaker.failure_threshold",
      line: 2, column: 22, "0 is out of range")
    expectError(
      "circuit_breaker: {success_threshold: two}\n" + minimalProviders,
      path: "circuit_breaker.success_threshold",
      line: 1, column: 38, "expected a whole number, got `two`")
  }

  @Test func maxTokensOutOfRangeAndBadBool() {
    let yaml = """
      providers:
        - name: local
          type: ollama
          checks:
            - model: llama3
              max_tokens: 5000
              stream: maybe
      """
    let errors = configErrors(yaml)
    #expect(
      errors.map(\.keyPath) == [
        "providers[0].checks[0].max_tokens", "providers[0].checks[0].stream",
      ])
    #expect(errors.map { "\($0.line):\($0.column)" } == ["6:21", "7:17"])
    #expect(errors[1].message == "expected true or false, got `maybe`")
  }

  @Test func badListenAddress() {
    expectError(
      "listen: ::1:9478\n" + minimalProviders, path: "listen", line: 1, column: 9, "needs brackets")
    expectError(
      "listen: localhost\n" + minimalProviders, path: "listen", line: 1, column: 9,
      "expected host:port")
    expectError(
      "listen: localhost:99999\n" + minimalProviders, path: "listen", line: 1, column: 9,
      "invalid port")
  }

  @Test func duplicateProviderNames() {
    expectError(
      """
      providers:
        - name: local
          type: ollama
          checks: [{model: a}]
        - name: local
          type: ollama
          checks: [{model: b}]
      """, path: "providers[1].name", line: 5, column: 11,
      "duplicate provider name `local` (first used at line 2)")
  }

  @Test func duplicateChecks() {
    expectError(
      """
      providers:
        - name: local
          type: ollama
          checks:
            - model: llama3
            - model: qwen
            - model: llama3
              stream: true
      """, path: "providers[0].checks[2].model", line: 7, column: 16,
      "duplicate check for model `llama3` (first at line 5)")
    expectError(
      """
      providers:
        - name: local
          type: ollama
          checks:
            - kind: models
            - kind: models
      """, path: "providers[0].checks[1].kind", line: 6, column: 15, "a second models check")
  }

  @Test func providerWithoutChecks() {
    expectError(
      "providers:\n  - name: local\n    type: ollama\n", path: "providers[0].checks", line: 2,
      column: 5,
      "provider has no checks")
    expectError(
      "providers:\n  - name: local\n    type: ollama\n    checks: []\n",
      path: "providers[0].checks", line: 4,
      column: 13, "provider has no checks")
  }

  @Test func noProviders() {
    expectError("window: 1m\n", path: "providers", line: 1, column: 1, "no providers configured")
    expectError(
      "providers: []\n", path: "providers", line: 1, column: 12, "no providers configured")
  }

  @Test func timeoutLongerThanInterval() {
    // Set at the same level: reported at the timeout.
    expectError(
      "defaults: {interval: 10s, timeout: 20s}\n" + minimalProviders, path: "defaults.timeout",
      line: 1,
      column: 36, "timeout 20s is longer than the interval 10s")
    // A provider interval below a timeout written in defaults: reported at the interval.
    expectError(
      """
      defaults: {timeout: 15s}
      providers:
        - name: local
          type: ollama
          interval: 10s
          checks: [{model: a}]
      """, path: "providers[0].interval", line: 5, column: 15,
      "timeout 15s (from defaults) is longer than the interval 10s")
    expectError(
      """
      providers:
        - name: local
          type: ollama
          checks:
            - model: a
              timeout: 31s
      """, path: "providers[0].checks[0].timeout", line: 6, column: 18, "timeout 31s is longer")
  }

  @Test func slowLongerThanTimeout() {
    expectError(
      """
      providers:
        - name: local
          type: ollama
          checks:
            - model: a
              slow: 20s
      """, path: "providers[0].checks[0].slow", line: 6, column: 15,
      "slow 20s is longer than the timeout 15s")
  }

  @Test func badBaseURL() {
    let provider = { (url: String) in
      "providers:\n  - name: local\n    type: ollama\n    base_url: \(url)\n    checks: [{model: a}]\n"
    }
    expectError(
      provider("ftp://example.com"), path: "providers[0].base_url", line: 4, column: 15,
      "http:// or https://")
    expectError(
      provider("https://"), path: "providers[0].base_url", line: 4, column: 15, "no valid host")
    expectError(
      provider("https://h:0/v1"), path: "providers[0].base_url", line: 4, column: 15, "invalid port"
    )
    expectError(
      provider("https://user:hunter22@example.com"), path: "providers[0].base_url", line: 4,
      column: 15,
      "must not contain credentials")
  }

  @Test func badProviderName() {
    expectError(
      "providers:\n  - name: My Provider\n    type: ollama\n    checks: [{model: a}]\n",
      path: "providers[0].name",
      line: 2, column: 11, "invalid name `My Provider`; use 1 to 64 lowercase letters")
    expectError(
      "providers:\n  - type: ollama\n    checks: [{model: a}]\n", path: "providers[0].name",
      line: 2, column: 5,
      "a provider needs a `name`")
  }

  @Test func unknownProviderTypeAndCheckKind() {
    expectError(
      "providers:\n  - name: p\n    type: openia\n    api_key: k\n    checks: [{model: a}]\n",
      path: "providers[0].type", line: 3, column: 11,
      "unknown provider type `openia` (did you mean `openai`?); expected one of: openai, openrouter, anthropic, ollama"
    )
    expectError(
      "providers:\n  - name: p\n    type: ollama\n    checks:\n      - kind: model\n",
      path: "providers[0].checks[0].kind", line: 5, column: 15, "did you mean `models`?")
  }

  @Test func modelsCheckTakesNoModel() {
    expectError(
      "providers:\n  - name: p\n    type: ollama\n    checks:\n      - kind: models\n        model: x\n",
      path: "providers[0].checks[0].model", line: 6, column: 9,
      "does not apply to a `kind: models` check")
    expectError(
      "providers:\n  - name: p\n    type: ollama\n    checks:\n      - stream: true\n",
      path: "providers[0].checks[0].model", line: 5, column: 9, "a chat check needs a `model`")
  }

  @Test func missingAPIKeyForATypeThatNeedsOne() {
    expectError(
      "providers:\n  - name: p\n    type: anthropic\n    checks: [{model: a}]\n",
      path: "providers[0].api_key",
      line: 2, column: 5, "type `anthropic` needs an API key")
  }

  @Test func moreThanOneAPIKeySource() {
    expectError(
      "providers:\n  - name: p\n    api_key: k\n    api_key_credential: openai\n    checks: [{model: a}]\n",
      env: ["CREDENTIALS_DIRECTORY": "/nonexistent"],
      path: "providers[0].api_key_credential", line: 4, column: 5, "set only one of api_key")
  }

  @Test func missingEnvironmentVariable() {
    expectError(
      "providers:\n  - name: p\n    api_key: ${OPENAI_API_KEY}\n    checks: [{model: a}]\n",
      path: "providers[0].api_key", line: 3, column: 14,
      "environment variable `OPENAI_API_KEY` is not set")
    expectError(
      "listen: \"${HOST}:9478\"\n" + minimalProviders, path: "listen", line: 1, column: 9,
      "environment variable `HOST` is not set")
    expectError(
      "window: ${W\n" + minimalProviders, path: "window", line: 1, column: 9, "unterminated `${`")
  }

  @Test func emptyFile() {
    for text in ["", "# only a comment\n", "---\n"] {
      guard let error = singleConfigError(text) else { continue }
      #expect(error.line == 0)
      #expect(error.description == "atalaya.yaml: the config file is empty")
    }
  }

  @Test func topLevelMustBeAMapping() {
    expectError(
      "- a\n- b\n", path: "", line: 1, column: 1, "expected the config (a mapping), got a list")
  }

  @Test func yamlSyntaxErrorHasYamsPosition() {
    expectError(
      "window: 10m\nproviders: [a, b\nlisten: x\n", path: "", line: 3, column: 7,
      "YAML syntax error")
    expectError(
      "window: 10m\nwindow: 20m\n" + minimalProviders, path: "", line: 1, column: 1,
      "key `window` appears more than once")
  }

  @Test func allErrorsAreCollectedInDocumentOrder() {
    let errors = configErrors(
      """
      listen: nowhere
      window: 3
      providers:
        - name: Bad
          type: openai
          checks:
            - model: gpt-4o
              slow: 1x
            - model: gpt-4o
      """)
    #expect(
      errors.map { "\($0.line):\($0.column) \($0.keyPath)" } == [
        "1:9 listen",
        "2:9 window",
        "4:5 providers[0].api_key",
        "4:11 providers[0].name",
        "8:15 providers[0].checks[0].slow",
        "9:16 providers[0].checks[1].model",
      ])
  }
}
