import AtalayaCore
import HTTPClient

/// Reads rate-limit headroom and `retry-after` from response headers.
enum RateLimitHeaders {
  /// Readings from OpenAI-style (`x-ratelimit-*-{requests,tokens}`, Go duration resets;
  /// also Groq), Cerebras-style (`x-ratelimit-*-{requests,tokens}-{minute,hour,day}`,
  /// resets in seconds with fractions), OpenRouter-style (`X-RateLimit-{Limit,Remaining,
  /// Reset}`, the reset as epoch milliseconds; the `requests` resource) and
  /// Anthropic-style (`anthropic-ratelimit-*`, RFC 3339 resets) headers. Resets are made
  /// relative to `now`. One reading per resource.
  static func readings(_ response: HTTPResponse, now: Timestamp) -> [RateLimitReading] {
    var readings: [RateLimitReading] = []
    // Most responses carry none of these headers: skip the 18 lookups (header names are
    // stored lowercased) instead of building and searching for every name on every probe.
    let hasAnthropic = response.headers.contains { $0.name.hasPrefix("anthropic-ratelimit-") }
    let hasOpenAI = response.headers.contains { $0.name.hasPrefix("x-ratelimit-") }
    func add(_ reading: RateLimitReading) {
      guard reading.limit != nil || reading.remaining != nil || reading.resetSeconds != nil,
        !readings.contains(where: { $0.resource == reading.resource })
      else { return }
      readings.append(reading)
    }
    for resource in RateLimitResource.anthropic where hasAnthropic {
      let suffix = resource.rawValue.replacing("_", with: "-")
      add(
        RateLimitReading(
          resource: resource,
          limit: number(response.header("anthropic-ratelimit-\(suffix)-limit")),
          remaining: number(response.header("anthropic-ratelimit-\(suffix)-remaining")),
          resetSeconds: response.header("anthropic-ratelimit-\(suffix)-reset")
            .flatMap(DateParsing.rfc3339).map { max(0, $0.seconds - now.seconds) }))
    }
    for resource in [RateLimitResource.requests, .tokens] where hasOpenAI {
      add(
        RateLimitReading(
          resource: resource,
          limit: number(response.header("x-ratelimit-limit-\(resource.rawValue)")),
          remaining: number(response.header("x-ratelimit-remaining-\(resource.rawValue)")),
          resetSeconds: response.header("x-ratelimit-reset-\(resource.rawValue)").flatMap(
            GoDuration.seconds
          )
          .map { max(0, $0) }))
    }
    for resource in RateLimitResource.perPeriod where hasOpenAI {
      let suffix = resource.rawValue.replacing("_", with: "-")
      add(
        RateLimitReading(
          resource: resource,
          limit: number(response.header("x-ratelimit-limit-\(suffix)")),
          remaining: number(response.header("x-ratelimit-remaining-\(suffix)")),
          resetSeconds: response.header("x-ratelimit-reset-\(suffix)").flatMap(GoDuration.seconds)
            .map { max(0, $0) }))
    }
    if hasOpenAI {
      add(
        RateLimitReading(
          resource: .requests,
          limit: number(response.header("x-ratelimit-limit")),
          remaining: number(response.header("x-ratelimit-remaining")),
          resetSeconds: number(response.header("x-ratelimit-reset")).map {
            secondsUntil(epochOrDelta: $0, now: now)
          }))
    }
    return readings
  }

  /// `retry-after-ms`, or `retry-after` as seconds or an HTTP-date (relative
  /// to `now`), in seconds; nil when absent or unreadable.
  static func retryAfter(_ response: HTTPResponse, now: Timestamp) -> Double? {
    response.retryAfter(now: now)
  }

  /// A reset given as epoch milliseconds (OpenRouter), epoch seconds, or seconds from
  /// now, as seconds from `now` (never negative).
  static func secondsUntil(epochOrDelta value: Double, now: Timestamp) -> Double {
    let seconds: Double
    if value >= 1e11 {
      seconds = value / 1000 - now.seconds
    } else if value >= 1e9 {
      seconds = value - now.seconds
    } else {
      seconds = value
    }
    return max(0, seconds)
  }

  private static func number(_ text: String?) -> Double? {
    guard let text, let value = Double(text.trimmingSpaces()), value.isFinite else { return nil }
    return value
  }
}
