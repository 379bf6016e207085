import AtalayaCore
import HTTPClient

/// Probes one check of one provider: builds the dialect's request, sends it,
/// and classifies what came back into a ``ProbeOutcome``. Never throws and
/// never traps, whatever the provider sends.
public struct Prober: Sendable {
  public let transport: any HTTPTransport
  public let timeSource: any TimeSource
  public let userAgent: String

  /// `userAgent` is sent as the `User-Agent` header of every probe (unless
  /// the provider's extra headers set one).
  public init(transport: any HTTPTransport, timeSource: any TimeSource, userAgent: String) {
    self.transport = transport
    self.timeSource = timeSource
    self.userAgent = userAgent
  }

  /// Runs one probe of `check` against `provider`. `request` is the check's request when
  /// the caller keeps it between probes (it is the same every time); built here otherwise.
  ///
  /// Nil when the probe was cancelled by its caller (the task was cancelled by a shutdown
  /// or a reload, or the transport shut down): the provider did nothing wrong, so there
  /// is no outcome to record.
  public func probe(provider: ProviderConfig, check: CheckConfig, request: HTTPRequest? = nil)
    async -> ProbeOutcome?
  {
    let startedAt = timeSource.now()
    let request = request ?? self.request(provider: provider, check: check)
    let response = await transport.send(request)
    if Task.isCancelled { return nil }
    return Self.outcome(
      of: response, provider: provider, check: check, startedAt: startedAt,
      receivedAt: timeSource.now())
  }

  /// The HTTP request a probe of `check` sends (the dialect's request shape,
  /// the extra headers, the user agent).
  public func request(provider: ProviderConfig, check: CheckConfig) -> HTTPRequest {
    let dialect = provider.type.dialect
    var request: HTTPRequest
    switch check.kind {
    case .chat: request = dialect.chatRequest(provider: provider, check: check)
    case .models: request = dialect.modelsRequest(provider: provider, check: check)
    }
    if !request.headers.contains(where: { $0.name.lowercased() == "user-agent" }) {
      request.headers.append(HTTPHeader(name: "User-Agent", value: userAgent))
    }
    return request
  }

  /// Classifies `response` into an outcome. Rate-limit resets and
  /// `retry-after` dates are made relative to `receivedAt`; the message is
  /// redacted of the provider's key and header values. Nil for a cancelled transfer.
  public static func outcome(
    of response: HTTPResponse, provider: ProviderConfig, check: CheckConfig, startedAt: Timestamp,
    receivedAt: Timestamp
  ) -> ProbeOutcome? {
    if response.error?.kind == .cancelled { return nil }
    let verdict = ProbeClassifier.classify(response, dialect: provider.type.dialect, check: check)
    let redactor = ProbeRedactor(provider: provider)
    let ttft =
      verdict.result == .success
      ? verdict.firstContentOffset.flatMap(response.arrivalTime(ofByteAt:)) : nil
    let rateLimits = RateLimitHeaders.readings(response, now: receivedAt)
    let retryAfter = RateLimitHeaders.retryAfter(response, now: receivedAt)
    return ProbeOutcome(
      check: check.id(provider: provider.name),
      result: verdict.result,
      startedAt: startedAt,
      httpStatus: response.status > 0 ? response.status : nil,
      timings: response.timings,
      ttft: ttft,
      usage: verdict.usage,
      rateLimits: rateLimits,
      retryAfter: retryAfter,
      message: verdict.message.map(redactor.message),
      resumeAt: resumeAt(
        verdict, retryAfter: retryAfter, rateLimits: rateLimits, receivedAt: receivedAt),
      missingModels: verdict.missingModels)
  }

  /// When the provider said to come back, for a failure: `Retry-After`; for a spent
  /// quota OpenRouter's `metadata.resets_at` or the date its message names; for a rate limit the latest reset of a limit with
  /// nothing remaining. Nil for a success.
  static func resumeAt(
    _ verdict: ProbeClassifier.Verdict, retryAfter: Double?, rateLimits: [RateLimitReading],
    receivedAt: Timestamp
  ) -> Timestamp? {
    guard !verdict.result.isSuccess else { return nil }
    // A spent quota's own date outranks a Retry-After (often a generic short one).
    if verdict.result == .quotaExhausted,
      let date = verdict.quotaReturn ?? FailureClassifier.quotaReturnDate(verdict.message)
    {
      return date
    }
    if let retryAfter, retryAfter.isFinite, retryAfter > 0 {
      return receivedAt + .seconds(min(retryAfter, 1e8))
    }
    if verdict.result == .rateLimited || verdict.result == .quotaExhausted {
      let spent = rateLimits.filter { ($0.remaining ?? 1) <= 0 }.compactMap(\.resetSeconds)
      if let reset = spent.max(), reset.isFinite, reset > 0 {
        return receivedAt + .seconds(min(reset, 1e8))
      }
    }
    return nil
  }
}
