import AtalayaCore
import Testing

@Suite("Config summary")
struct ConfigSummaryTests {
  static let yaml = """
    providers:
      - name: router
        type: openrouter
        api_key: sk-summary-key-000000
        checks:
          - model: a/small
          - model: a/large
            max_tokens: 16
            stream: true
          - kind: models
            interval: 1m
      - name: local
        type: ollama
        interval: 1m
        checks:
          - model: llama3
    """

  @Test func countsProbesAndTokensPerHour() throws {
    let config = try ConfigLoader.parse(yaml: Self.yaml, file: "a.yaml", environment: [:])
    let summary = ConfigSummary(config: config)
    #expect(summary.providers == 2)
    #expect(summary.checks == 4)
    // 120 + 120 + 60 + 60 probes; models checks cost nothing.
    #expect(summary.probesPerHour == 360)
    let input = Double(ProbePrompt.estimatedInputTokens)
    #expect(
      summary.estimatedProbeTokensPerHour == 120 * (input + 8) + 120 * (input + 16) + 60
        * (input + 8))
    #expect(summary.estimatedProbeTokensPerHour == 6960)
  }

  @Test func rendersATableAndTotals() throws {
    let config = try ConfigLoader.parse(yaml: Self.yaml, file: "a.yaml", environment: [:])
    let lines = ConfigSummary(config: config).render().split(
      separator: "\n", omittingEmptySubsequences: false)
    #expect(
      lines == [
        "PROVIDER  TYPE        BASE_URL                      MODEL    KIND    INTERVAL  TIMEOUT  STREAM  PROBE",
        "router    openrouter  https://openrouter.ai/api/v1  a/small  chat    30s       15s      no      8 tokens",
        "                                                    a/large  chat    30s       15s      yes     16 tokens",
        "                                                    _models  models  1m        15s      -       -",
        "local     ollama      http://127.0.0.1:11434        llama3   chat    1m        15s      no      8 tokens",
        "",
        "2 providers, 4 checks, 360 probes/hour, ~6960 probe tokens/hour",
        "",
      ])
  }

  @Test func probePromptIsTheOnePlaceForThePrompt() {
    #expect(ProbePrompt.text == "Reply with the single word: ok")
    #expect(ProbePrompt.estimatedInputTokens == 12)
  }
}
