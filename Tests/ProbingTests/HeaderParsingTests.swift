import AtalayaCore
import HTTPClient
import Testing

@testable import Probing

@Suite struct HeaderParsingTests {
  @Test(arguments: [
    ("6m0s", 360.0), ("1s", 1), ("12ms", 0.012), ("1h2m3.5s", 3723.5), ("0s", 0), ("500us", 0.0005),
    ("250µs", 0.00025), ("10ns", 1e-8), ("2.5", 2.5), ("-1s", -1),
  ])
  func goDurations(_ text: String, _ seconds: Double) throws {
    let parsed = try #require(GoDuration.seconds(text))
    #expect(abs(parsed - seconds) < 1e-9)
  }

  @Test(arguments: ["", "s", "5x", "1h2", "m5", "1.2.3s", "abc"])
  func badGoDurations(_ text: String) {
    #expect(GoDuration.seconds(text) == nil)
  }

  @Test func rfc3339Times() {
    #expect(DateParsing.rfc3339("1970-01-01T00:00:00Z")?.seconds == 0)
    #expect(DateParsing.rfc3339("2027-01-15T08:00:00Z")?.seconds == 1_800_000_000)
    #expect(DateParsing.rfc3339("2027-01-15T08:00:00.25Z")?.seconds == 1_800_000_000.25)
    #expect(DateParsing.rfc3339("2027-01-15T10:00:00+02:00")?.seconds == 1_800_000_000)
    #expect(DateParsing.rfc3339("2027-01-15T07:30:00-00:30")?.seconds == 1_800_000_000)
    #expect(DateParsing.rfc3339("2000-02-29T00:00:00Z")?.seconds == 951_782_400)
    for bad in [
      "", "2027-01-15", "2027-13-01T00:00:00Z", "2027-01-15T08:00:00", "2027-01-15T08:00:00Zjunk",
      "x027-01-15T08:00:00Z",
    ] {
      #expect(DateParsing.rfc3339(bad) == nil, "\(bad)")
    }
  }

  @Test func httpDates() {
    #expect(DateParsing.httpDate("Sun, 06 Nov 1994 08:49:37 GMT")?.seconds == 784_111_777)
    #expect(DateParsing.httpDate("Sunday, 06-Nov-94 08:49:37 GMT")?.seconds == 784_111_777)
    #expect(DateParsing.httpDate("yesterday") == nil)
    #expect(DateParsing.httpDate("Thu, 31 Feb 2027 08:00:00 GMT") == nil)  // no such day
    #expect(DateParsing.httpDate("Sun, 06 Foo 1994 08:49:37 GMT") == nil)
  }

  @Test func openAIRateLimitHeaders() {
    let response = cannedResponse(
      status: 200,
      headers: [
        HTTPHeader(name: "x-ratelimit-limit-requests", value: "5000"),
        HTTPHeader(name: "x-ratelimit-remaining-requests", value: "4999"),
        HTTPHeader(name: "x-ratelimit-reset-requests", value: "12ms"),
        HTTPHeader(name: "x-ratelimit-limit-tokens", value: "160000"),
        HTTPHeader(name: "x-ratelimit-remaining-tokens", value: "159976"),
        HTTPHeader(name: "x-ratelimit-reset-tokens", value: "6m0s"),
      ], body: "{}")
    let readings = RateLimitHeaders.readings(response, now: testStart)
    #expect(
      readings == [
        RateLimitReading(resource: .requests, limit: 5000, remaining: 4999, resetSeconds: 0.012),
        RateLimitReading(resource: .tokens, limit: 160000, remaining: 159976, resetSeconds: 360),
      ])
  }

  @Test func anthropicRateLimitHeadersAreRelativeToNow() {
    // testStart is 2027-01-15T08:00:00Z.
    let response = cannedResponse(
      status: 200,
      headers: [
        HTTPHeader(name: "anthropic-ratelimit-requests-limit", value: "50"),
        HTTPHeader(name: "anthropic-ratelimit-requests-remaining", value: "49"),
        HTTPHeader(name: "anthropic-ratelimit-requests-reset", value: "2027-01-15T08:00:30Z"),
        HTTPHeader(name: "anthropic-ratelimit-tokens-remaining", value: "1000"),
        HTTPHeader(name: "anthropic-ratelimit-input-tokens-limit", value: "40000"),
        HTTPHeader(name: "anthropic-ratelimit-input-tokens-reset", value: "2027-01-15T07:59:00Z"),
        HTTPHeader(name: "anthropic-ratelimit-output-tokens-limit", value: "8000"),
        HTTPHeader(name: "anthropic-ratelimit-output-tokens-remaining", value: "7990"),
        HTTPHeader(
          name: "anthropic-ratelimit-output-tokens-reset", value: "2027-01-15T08:00:01.5Z"),
      ], body: "{}")
    let readings = RateLimitHeaders.readings(response, now: testStart)
    #expect(
      readings == [
        RateLimitReading(resource: .requests, limit: 50, remaining: 49, resetSeconds: 30),
        RateLimitReading(resource: .tokens, remaining: 1000),
        RateLimitReading(resource: .inputTokens, limit: 40000, resetSeconds: 0),
        RateLimitReading(resource: .outputTokens, limit: 8000, remaining: 7990, resetSeconds: 1.5),
      ])
  }

  @Test func noRateLimitHeadersNoReadings() {
    #expect(
      RateLimitHeaders.readings(cannedResponse(status: 200, body: "{}"), now: testStart).isEmpty)
    let junk = cannedResponse(
      status: 200, headers: [HTTPHeader(name: "x-ratelimit-limit-requests", value: "lots")],
      body: "")
    #expect(RateLimitHeaders.readings(junk, now: testStart).isEmpty)
  }

  @Test func retryAfterForms() {
    func retry(_ headers: [HTTPHeader]) -> Double? {
      RateLimitHeaders.retryAfter(
        cannedResponse(status: 429, headers: headers, body: ""), now: testStart)
    }
    #expect(retry([HTTPHeader(name: "retry-after", value: "20")]) == 20)
    #expect(retry([HTTPHeader(name: "retry-after", value: "1.5")]) == 1.5)
    #expect(
      retry([
        HTTPHeader(name: "retry-after-ms", value: "250"),
        HTTPHeader(name: "retry-after", value: "1"),
      ]) == 0.25)
    #expect(retry([HTTPHeader(name: "retry-after", value: "Fri, 15 Jan 2027 08:01:00 GMT")]) == 60)
    #expect(retry([HTTPHeader(name: "retry-after", value: "soon")]) == nil)
    #expect(retry([]) == nil)
  }

  @Test func testStartIsTheDocumentedDate() {
    #expect(DateParsing.rfc3339("2027-01-15T08:00:00Z") == testStart)
  }
}
