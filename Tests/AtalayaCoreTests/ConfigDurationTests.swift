import AtalayaCore
import Testing

@Suite("Config durations")
struct ConfigDurationTests {
  @Test(arguments: [
    ("250ms", Duration.milliseconds(250)), ("30s", .seconds(30)), ("10m", .seconds(600)),
    ("1h", .seconds(3600)),
    ("1h30m", .seconds(5400)), ("1m30s", .seconds(90)), ("1.5s", .milliseconds(1500)),
    ("0s", .zero),
    ("2h0m5s", .seconds(7205)), ("1s250ms", .milliseconds(1250)), ("0.25h", .seconds(900)),
  ])
  func parses(text: String, expected: Duration) {
    #expect(parseDuration(text) == expected)
  }

  @Test(arguments: [
    "", "30", "s", "-5s", "5 s", "5x", "1h 30m", "10us", "1..5s", ".s", "ms", "99999999999999999h",
  ])
  func rejects(text: String) {
    #expect(parseDuration(text) == nil)
  }

  @Test(arguments: [
    (Duration.milliseconds(250), "250ms"), (.seconds(30), "30s"), (.seconds(600), "10m"),
    (.seconds(3600), "1h"),
    (.seconds(5400), "1h30m"), (.seconds(90), "1m30s"), (.milliseconds(1500), "1.5s"),
    (.zero, "0s"),
    (.seconds(86400), "24h"), (.seconds(3601), "1h1s"), (.microseconds(1500), "0.0015s"),
  ])
  func formatsInShortestForm(duration: Duration, expected: String) {
    #expect(formatDuration(duration) == expected)
  }

  @Test func roundTrips() {
    let durations: [Duration] = [
      .milliseconds(1), .milliseconds(999), .seconds(1), .milliseconds(10_250), .seconds(59),
      .seconds(61),
      .seconds(3599), .seconds(3661), .milliseconds(3_723_004), .seconds(48 * 3600),
      .nanoseconds(1),
    ]
    for d in durations {
      #expect(parseDuration(formatDuration(d)) == d, "\(formatDuration(d))")
    }
    for text in ["250ms", "30s", "10m", "1h30m", "1m30s", "2h", "1h0m1s".replacing("0m", with: "")]
    {
      #expect(parseDuration(text).map(formatDuration) == text)
    }
  }
}
