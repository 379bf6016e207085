import AtalayaCore
import Testing

/// Strict validation of usage API bodies.
@Suite("Usage API parsing")
struct UsageParserTests {
  let now = Timestamp(seconds: 1_800_000_000)
  let parser = UsageParser(maxAge: .seconds(600))

  func parse(_ text: String) -> UsageBatch { parser.parse(Array(text.utf8), now: now) }

  @Test func aSingleObjectWithEveryField() {
    let b = parse(
      #"{"provider":"openai","model":"gpt-4o-mini","input_tokens":120,"output_tokens":30,"#
        + #""cost_usd":0.0012,"latency_ms":850,"status":"server_error","ts":"2027-01-15T08:00:00Z"}"#
    )
    #expect(b.errors.isEmpty)
    let e = b.events[0]
    #expect(e.provider == "openai" && e.model == "gpt-4o-mini")
    #expect(e.inputTokens == 120 && e.outputTokens == 30 && e.costUSD == 0.0012)
    #expect(e.latency == 0.85 && e.result == .serverError)
    #expect(e.at == RFC3339.parse("2027-01-15T08:00:00Z"))
  }

  @Test func defaultsAreOkAndNow() {
    let b = parse(#"{"provider":"p","model":"m","input_tokens":0,"output_tokens":0}"#)
    #expect(
      b.events == [UsageEvent(provider: "p", model: "m", inputTokens: 0, outputTokens: 0, at: now)])
  }

  @Test func ndjsonKeepsGoodLinesAndNamesBadOnesByLine() {
    let body = [
      #"{"provider":"p","model":"m","input_tokens":1,"output_tokens":2,"status":"ok"}"#,
      "",
      #"{"provider":"p","model":"m","input_tokens":-1,"output_tokens":2}"#,
      "not json",
      #"{"provider":"p","model":"m","input_tokens":1,"output_tokens":2,"ts":1800000000}"#,
    ].joined(separator: "\n")
    let b = parse(body)
    #expect(b.events.count == 2)
    #expect(b.errors.map(\.line) == [3, 4])
    #expect(b.errors[0].field == "input_tokens")
    #expect(b.errors[0].description.hasPrefix("line 3: input_tokens: "))
    #expect(b.errors[1].message == "not valid JSON")
  }

  @Test(arguments: [
    (#"{"model":"m","input_tokens":1,"output_tokens":1}"#, "provider"),
    (#"{"provider":"","model":"m","input_tokens":1,"output_tokens":1}"#, "provider"),
    (#"{"provider":"p","model":7,"input_tokens":1,"output_tokens":1}"#, "model"),
    (#"{"provider":"p","model":"m","input_tokens":1.5,"output_tokens":1}"#, "input_tokens"),
    (#"{"provider":"p","model":"m","input_tokens":1}"#, "output_tokens"),
    (#"{"provider":"p","model":"m","input_tokens":1,"output_tokens":"2"}"#, "output_tokens"),
    (#"{"provider":"p","model":"m","input_tokens":1,"output_tokens":1,"cost_usd":-1}"#, "cost_usd"),
    (
      #"{"provider":"p","model":"m","input_tokens":1,"output_tokens":1,"latency_ms":"fast"}"#,
      "latency_ms"
    ),
    (#"{"provider":"p","model":"m","input_tokens":1,"output_tokens":1,"status":"meh"}"#, "status"),
    (#"{"provider":"p","model":"m","input_tokens":1,"output_tokens":1,"ts":"yesterday"}"#, "ts"),
    (#"{"provider":"p","model":"m","input_tokens":1,"output_tokens":1,"ts":1800003600}"#, "ts"),
    (#"{"provider":"p","model":"m","input_tokens":1,"output_tokens":1,"ts":1799990000}"#, "ts"),
  ])
  func eachBadFieldIsNamed(body: String, field: String) {
    let b = parse(body)
    #expect(b.events.isEmpty)
    #expect(b.errors.count == 1)
    #expect(b.errors.first?.field == field, "\(b.errors)")
  }

  @Test func unknownFieldsAndNonObjectsAreRejected() {
    var b = parse(#"{"provider":"p","model":"m","input_tokens":1,"output_tokens":1,"tokens":2}"#)
    #expect(b.errors.first?.message.contains("unknown field `tokens`") == true)
    b = parse("[1, {\"provider\":\"p\",\"model\":\"m\",\"input_tokens\":1,\"output_tokens\":1}]")
    #expect(b.events.count == 1)
    #expect(b.errors.first?.index == 0)
    b = parse("  \n")
    #expect(b.events.isEmpty && b.errors.count == 1)
  }
}
