import AtalayaCore
import Storage
import Testing

/// API keys from files and credentials, and secrets never reaching a message.
@Suite("Config secrets")
struct ConfigSecretsTests {
  private func provider(_ keyLines: String, type: String = "openai") -> String {
    "providers:\n  - name: p\n    type: \(type)\n\(keyLines)    checks: [{model: m}]\n"
  }

  @Test func apiKeyFileIsReadTrimmedAndRelativeToTheConfigFile() throws {
    let dir = ConfigTempDir()
    dir.create("openai.key", "  sk-from-file-0123456789\n\n")
    let configPath = dir.create("atalaya.yaml", provider("    api_key_file: openai.key\n"))
    let config = try ConfigLoader.load(path: configPath, environment: [:])
    #expect(config.providers[0].apiKey?.reveal() == "sk-from-file-0123456789")
  }

  @Test func apiKeyFileAcceptsAnAbsolutePath() throws {
    let dir = ConfigTempDir()
    let keyPath = dir.create("key", "abs-key-value\n")
    let config = try ConfigLoader.parse(
      yaml: provider("    api_key_file: \(keyPath)\n"), file: "/elsewhere/atalaya.yaml",
      environment: [:], files: FileSystemReader())
    #expect(config.providers[0].apiKey?.reveal() == "abs-key-value")
  }

  @Test func unreadableOrEmptyApiKeyFile() {
    let dir = ConfigTempDir()
    let missing = dir.path + "/missing.key"
    let errors = configErrors(provider("    api_key_file: \(missing)\n"))
    #expect(errors.count == 1)
    #expect(errors.first?.keyPath == "providers[0].api_key_file")
    #expect(errors.first.map { "\($0.line):\($0.column)" } == "4:19")
    #expect(errors.first?.message == "cannot read file `\(missing)`: No such file or directory")

    let empty = dir.create("empty.key", " \n")
    let emptyErrors = configErrors(provider("    api_key_file: \(empty)\n"))
    #expect(emptyErrors.map(\.message) == ["the API key is empty"])
  }

  @Test func apiKeyCredentialIsReadFromTheCredentialsDirectory() throws {
    let dir = ConfigTempDir()
    dir.create("openai", "sk-credential-abcdef0123\n")
    let config = try ConfigLoader.parse(
      yaml: provider("    api_key_credential: openai\n"), file: "a.yaml",
      environment: ["CREDENTIALS_DIRECTORY": dir.path], files: FileSystemReader())
    #expect(config.providers[0].apiKey?.reveal() == "sk-credential-abcdef0123")
  }

  @Test func apiKeyCredentialProblems() {
    let dir = ConfigTempDir()
    let noDirectory = configErrors(provider("    api_key_credential: openai\n"))
    #expect(noDirectory.map(\.keyPath) == ["providers[0].api_key_credential"])
    #expect(noDirectory.first?.message.contains("$CREDENTIALS_DIRECTORY is not set") == true)

    let missing = configErrors(
      provider("    api_key_credential: openai\n"), env: ["CREDENTIALS_DIRECTORY": dir.path])
    #expect(
      missing.map(\.message) == [
        "cannot read credential `\(dir.path)/openai`: No such file or directory"
      ])

    let slash = configErrors(
      provider("    api_key_credential: ../openai\n"), env: ["CREDENTIALS_DIRECTORY": dir.path])
    #expect(slash.first?.message.contains("plain file name") == true)
  }

  @Test func ollamaNeedsNoKey() throws {
    let config = try ConfigLoader.parse(
      yaml: provider("", type: "ollama"), file: "a.yaml", environment: [:],
      files: FileSystemReader())
    #expect(config.providers[0].apiKey == nil)
    #expect(config.secrets.isEmpty)
  }

  /// Configs with secrets where they do not belong or malformed: every error
  /// description must be free of every secret.
  @Test func secretsNeverAppearInErrors() {
    let dir = ConfigTempDir()
    let keyFile = dir.create(
      "two-lines.key", "sk-file-secret-line-one-777\nsk-file-secret-line-two-888\n")
    let env = ["LEAKY": "hunter2hunter2", "OPENAI_API_KEY": "sk-env-secret-0123456789abc"]
    let cases: [(yaml: String, secrets: [String])] = [
      // A key given as the value of a header with an invalid name.
      (
        provider("    api_key: k\n    headers: {\"Bad Header\": sk-header-secret-12345678}\n"),
        ["sk-header-secret-12345678"]
      ),
      // A header value with a line break (header injection).
      (
        provider("    api_key: k\n    headers: {X-A: \"tok-9f8e7d6c\\nX-B: y\"}\n"),
        ["tok-9f8e7d6c"]
      ),
      // An API key with a space in it.
      (
        provider("    api_key: \"sk-live abcdefgh12345678\"\n"),
        ["sk-live abcdefgh12345678", "abcdefgh12345678"]
      ),
      // A key pasted where a duration goes.
      (
        provider("    api_key: k\n    interval: sk-proj-abcdefghijklmnop\n"),
        ["sk-proj-abcdefghijklmnop"]
      ),
      // A key pasted as a provider type, and under an unknown key.
      (
        provider(
          "    api_key: k\n    token: sk-unknown-key-value-42\n", type: "sk-typed-secret-99"),
        ["sk-typed-secret-99", "sk-unknown-key-value-42"]
      ),
      // An environment secret that lands in a number field.
      (
        provider("    api_key: ${OPENAI_API_KEY}\n    count_rate_limited: ${LEAKY}\n"),
        ["hunter2hunter2", "sk-env-secret-0123456789abc"]
      ),
      // A key file with two lines.
      (
        provider("    api_key_file: \(keyFile)\n"),
        ["sk-file-secret-line-one-777", "sk-file-secret-line-two-888"]
      ),
      // Two key sources at once.
      (
        provider("    api_key: sk-both-sources-secret-1\n    api_key_file: \(keyFile)\n"),
        ["sk-both-sources-secret-1", "sk-file-secret-line-one-777"]
      ),
      // A syntax error on the line of a key.
      (provider("    api_key: \"sk-unterminated-secret-5555\n"), ["sk-unterminated-secret-5555"]),
      // Credentials in the base URL.
      (
        provider("    api_key: k\n    base_url: https://user:pa55w0rd-secret@example.com/v1\n"),
        ["pa55w0rd-secret"]
      ),
    ]
    for (yaml, secrets) in cases {
      let errors = configErrors(yaml, env: env)
      #expect(!errors.isEmpty, "expected errors for: \(yaml)")
      let text = ConfigErrors(errors: errors).description
      for secret in secrets {
        #expect(!text.contains(secret), "secret leaked: \(text)")
      }
    }
  }

  @Test func secretsNeverAppearInTheSummary() throws {
    let config = try ConfigLoader.parse(
      yaml: provider(
        "    api_key: sk-summary-secret-123456\n    headers: {X-Custom: header-secret-value}\n"),
      file: "a.yaml", environment: [:], files: FileSystemReader())
    let text = ConfigSummary(config: config).render()
    #expect(!text.contains("sk-summary-secret-123456"))
    #expect(!text.contains("header-secret-value"))
    #expect(config.secrets.count == 2)
  }
}

@Suite("Redactor")
struct ConfigRedactorTests {
  @Test func replacesEveryKnownSecret() {
    let redactor = Redactor(secrets: [Secret("sk-abcdefghijklmnop1234"), Secret("hdr-value-5678")])
    let text =
      "key sk-abcdefghijklmnop1234 sent twice: sk-abcdefghijklmnop1234; header hdr-value-5678."
    #expect(redactor.redact(text) == "key sk-…1234 sent twice: sk-…1234; header hdr…5678.")
  }

  @Test func ignoresSecretsShorterThanFourCharacters() {
    let redactor = Redactor(secrets: [Secret("abc"), Secret("abcd")])
    #expect(redactor.redact("abc abcd abcde") == "abc … …e")
  }

  @Test func longerSecretsWinOverSecretsTheyContain() {
    let redactor = Redactor(secrets: [Secret("abcd1234"), Secret("abcd1234efgh5678")])
    #expect(redactor.redact("x abcd1234efgh5678 y abcd1234") == "x abc…5678 y …")
  }

  @Test func scrubsCommonKeyPatterns() {
    let bearer = Redactor.scrubCommonPatterns(
      "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig")
    #expect(!bearer.contains("eyJhbGciOiJIUzI1NiJ9"))
    #expect(bearer.hasPrefix("Authorization: Bearer "))

    let apiKey = Redactor.scrubCommonPatterns("x-api-key: sk-ant-api03-AAAAAAAAAAAAAAAA-BBBB")
    #expect(apiKey == "x-api-key: sk-…BBBB")

    let inline = Redactor.scrubCommonPatterns("failed with key sk-proj-0123456789abcdef, retrying")
    #expect(inline == "failed with key sk-…cdef, retrying")

    let json = Redactor.scrubCommonPatterns(#"{"authorization": "Basic dXNlcjpwYXNzd29yZA=="}"#)
    #expect(!json.contains("dXNlcjpwYXNzd29yZA"))

    let plain = "the basic idea: a bearer of news, sk-8 and a task-list"
    #expect(Redactor.scrubCommonPatterns(plain) == plain)
  }
}
