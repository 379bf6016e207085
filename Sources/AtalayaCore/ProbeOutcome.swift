/// curl's phase timings for one request, in seconds from the start of the request
/// (the same meaning as blackbox_exporter's probe_http_duration_seconds phases,
/// but cumulative as libcurl reports them).
public struct PhaseTimings: Sendable, Codable, Hashable {
  /// Name resolution done.
  public var dns: Double
  /// TCP connect done.
  public var connect: Double
  /// TLS handshake done (0 for plain HTTP).
  public var tls: Double
  /// First response byte received.
  public var firstByte: Double
  /// Whole transfer done.
  public var total: Double

  public init(
    dns: Double = 0, connect: Double = 0, tls: Double = 0, firstByte: Double = 0, total: Double = 0
  ) {
    self.dns = dns
    self.connect = connect
    self.tls = tls
    self.firstByte = firstByte
    self.total = total
  }
}

/// Token usage reported by a provider in a response.
public struct TokenUsage: Sendable, Codable, Hashable {
  public var inputTokens: Int
  public var outputTokens: Int
  /// Cost in USD when the provider reports it (OpenRouter's `usage.cost`).
  public var costUSD: Double?

  /// The most tokens one response is believed to report; more is clamped.
  public static let maxTokens = 1_000_000_000
  /// The most one response is believed to cost; a larger, negative or non-finite
  /// `usage.cost` is ignored (the price book is used instead).
  public static let maxCostUSD = 10_000.0

  /// Values as a provider reported them, bounded: token counts to 0...``maxTokens``,
  /// and a cost outside 0...``maxCostUSD`` is dropped.
  public init(inputTokens: Int, outputTokens: Int, costUSD: Double? = nil) {
    self.inputTokens = min(max(inputTokens, 0), Self.maxTokens)
    self.outputTokens = min(max(outputTokens, 0), Self.maxTokens)
    self.costUSD = costUSD.flatMap { $0.isFinite && $0 >= 0 && $0 <= Self.maxCostUSD ? $0 : nil }
  }
}

/// The rate-limit resource a header reports on (the `resource` label). `requests` and
/// `tokens` are the provider's main limits (OpenAI, Groq, Anthropic, OpenRouter's
/// `X-RateLimit-*`); the suffixed ones are limits per period (Cerebras' `…-requests-day`,
/// `…-tokens-minute`).
public enum RateLimitResource: String, CaseIterable, Sendable, Codable, Hashable {
  case requests
  case tokens
  case inputTokens = "input_tokens"
  case outputTokens = "output_tokens"
  case requestsMinute = "requests_minute"
  case requestsHour = "requests_hour"
  case requestsDay = "requests_day"
  case tokensMinute = "tokens_minute"
  case tokensHour = "tokens_hour"
  case tokensDay = "tokens_day"

  /// The resources Anthropic's `anthropic-ratelimit-*` headers report.
  public static let anthropic: [RateLimitResource] = [
    .requests, .tokens, .inputTokens, .outputTokens,
  ]
  /// The per-period resources (`x-ratelimit-*-{requests,tokens}-{minute,hour,day}`).
  public static let perPeriod: [RateLimitResource] = [
    .requestsMinute, .requestsHour, .requestsDay, .tokensMinute, .tokensHour, .tokensDay,
  ]
}

/// Rate-limit headroom for one resource, read from response headers.
public struct RateLimitReading: Sendable, Codable, Hashable {
  public var resource: RateLimitResource
  public var limit: Double?
  public var remaining: Double?
  /// Seconds until the limit resets, relative to the response.
  public var resetSeconds: Double?

  public init(
    resource: RateLimitResource, limit: Double? = nil, remaining: Double? = nil,
    resetSeconds: Double? = nil
  ) {
    self.resource = resource
    self.limit = limit
    self.remaining = remaining
    self.resetSeconds = resetSeconds
  }
}

/// Everything one probe found out. Produced by Probing, consumed by the health
/// model, the metrics and the status API.
public struct ProbeOutcome: Sendable, Codable, Hashable {
  public var check: CheckID
  public var result: ResultClass
  /// When the probe started.
  public var startedAt: Timestamp
  /// HTTP status of the response, when there was one.
  public var httpStatus: Int?
  /// curl's phase timings, when a request was made.
  public var timings: PhaseTimings?
  /// Time to first token (streams) in seconds.
  public var ttft: Double?
  public var usage: TokenUsage?
  public var rateLimits: [RateLimitReading]
  /// `retry-after` in seconds, when present.
  public var retryAfter: Double?
  /// A short human-readable reason for a failure, secrets removed.
  public var message: String?
  /// When the provider said to come back: `Retry-After`, the reset of a spent rate limit,
  /// or the date a quota message names ("You will regain access on …").
  public var resumeAt: Timestamp?
  /// For a models check with `expect`: the expected models its list lacked (empty when
  /// all were listed); nil otherwise.
  public var missingModels: [String]?

  public init(
    check: CheckID, result: ResultClass, startedAt: Timestamp, httpStatus: Int? = nil,
    timings: PhaseTimings? = nil, ttft: Double? = nil, usage: TokenUsage? = nil,
    rateLimits: [RateLimitReading] = [], retryAfter: Double? = nil, message: String? = nil,
    resumeAt: Timestamp? = nil, missingModels: [String]? = nil
  ) {
    self.missingModels = missingModels
    self.resumeAt = resumeAt
    self.check = check
    self.result = result
    self.startedAt = startedAt
    self.httpStatus = httpStatus
    self.timings = timings
    self.ttft = ttft
    self.usage = usage
    self.rateLimits = rateLimits
    self.retryAfter = retryAfter
    self.message = message
  }

  /// Total latency in seconds (curl's total time), when a request was made.
  public var latency: Double? { timings?.total }
}
