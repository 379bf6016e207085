import AtalayaAgent
import AtalayaCore
import Testing

/// What `atalaya probe` prints: the class, the message, missing models and the resume time.
@Suite struct ProbeTableTests {
  let start = Timestamp(seconds: 1_800_000_000)

  @Test func theTableShowsClassReasonAndResumeTime() {
    let spent = ProbeOutcome(
      check: CheckID(provider: "claude", model: "claude-haiku-4-5"), result: .quotaExhausted,
      startedAt: start, httpStatus: 429, timings: PhaseTimings(total: 0.2),
      message: "HTTP 429: You have reached your API usage limits",
      resumeAt: RFC3339.parse("2027-02-01T00:00:00Z"))
    let listing = ProbeOutcome(
      check: CheckID(provider: "openai", model: CheckID.modelsCheckModel), result: .success,
      startedAt: start, httpStatus: 200, timings: PhaseTimings(total: 0.05),
      missingModels: ["gpt-4-32k"])
    let gone = ProbeOutcome(
      check: CheckID(provider: "openai", model: "gpt-4-32k"), result: .modelUnavailable,
      startedAt: start, httpStatus: 404, message: "HTTP 404: The model `gpt-4-32k` does not exist")
    let lines = ProbeTable.render([spent, listing, gone]).split(separator: "\n").map(String.init)
    #expect(lines.count == 4)
    #expect(lines[1].contains("quota_exhausted"))
    #expect(
      lines[1].contains("You have reached your API usage limits; retry at 2027-02-01T00:00:00.000Z")
    )
    #expect(lines[2].contains("model_unavailable: gpt-4-32k not listed"))
    #expect(lines[3].contains("model_unavailable"))
    #expect(lines[3].contains("404"))
  }
}
