import AtalayaCore
import Testing

/// Defect: a default made an explicit setting invalid (`interval: 1s` with no timeout
/// was refused because the built-in 15 s timeout is longer).
@Suite("Config: defaults never contradict what the file says")
struct ConfigDefaultBoundsTests {
  func parse(_ yaml: String) throws -> AtalayaConfig {
    try ConfigLoader.parse(yaml: yaml, file: "test.yml", environment: [:])
  }

  @Test func aShortIntervalWithoutTimeoutProbesWithTheInterval() throws {
    let config = try parse(
      """
      providers:
        - name: local
          type: ollama
          interval: 1s
          checks: [{model: a}]
      """)
    let check = try #require(config.providers.first?.checks.first)
    #expect(check.interval == .seconds(1))
    #expect(check.timeout == .seconds(1))
    // The default `slow` (10 s) is capped at the timeout too.
    #expect(check.slow == .seconds(1))
  }

  @Test func defaultsIntervalAloneCapsTheDefaultTimeout() throws {
    let config = try parse("defaults: {interval: 5s}\n" + minimalProviders)
    #expect(config.defaults.timeout == .seconds(5))
    #expect(config.providers.first?.checks.first?.timeout == .seconds(5))
  }

  @Test func aCheckIntervalBelowTheDefaultTimeoutIsFine() throws {
    let config = try parse(
      """
      providers:
        - name: local
          type: ollama
          checks: [{model: a, interval: 2s}, {model: b}]
      """)
    let checks = try #require(config.providers.first?.checks)
    #expect(checks[0].timeout == .seconds(2))
    #expect(checks[1].timeout == .seconds(15))
    #expect(checks[1].interval == .seconds(30))
  }

  @Test func aWrittenTimeoutLongerThanItsIntervalStaysAnError() {
    #expect(throws: ConfigErrors.self) {
      try parse(
        """
        providers:
          - name: local
            type: ollama
            timeout: 10s
            checks: [{model: a, interval: 2s}]
        """)
    }
  }
}
