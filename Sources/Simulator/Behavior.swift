/// How a simulated provider answers. Error statuses are returned at once; successful
/// answers take `latency` (streams send their first token after half of it).
public enum Behavior: Sendable, Equatable {
  /// Always answers successfully.
  case healthy(latency: Duration = .milliseconds(30))
  /// Fails a fraction `errorRate` (0...1) of requests with a mix of 500, 503 and 429,
  /// drawn from the simulator's seeded generator (deterministic for sequential requests).
  case flaky(errorRate: Double, latency: Duration = .milliseconds(30))
  /// Always answers successfully, after `latency`.
  case slow(latency: Duration)
  /// Returns 503 during the first `down` of every cycle of length `every`
  /// (cycle position = time-source now mod `every`), healthy otherwise.
  case periodicOutage(every: Duration, down: Duration)
  /// Every Nth request (N, 2N, ...) gets 429 with `retry-after` and rate-limit
  /// headers showing 0 remaining; the others succeed.
  case rateLimited(every: Int)
  /// Always fails in one fixed way.
  case fault(Fault)
}

/// One fixed failure mode of a simulated provider.
///
/// Generic faults use the provider's own error envelope (OpenAI `{"error":{...}}`,
/// Anthropic `{"type":"error","error":{...}}`, Ollama `{"error":"..."}`);
/// `insufficientQuota`, `paymentRequired` and `overloaded` send the body of the
/// provider that is known for them whatever the simulated type.
public enum Fault: String, Sendable, Equatable, CaseIterable {
  /// 429 `rate_limit_exceeded` with `retry-after` and 0 remaining.
  case rateLimited
  /// OpenAI's 429 `insufficient_quota`.
  case insufficientQuota
  /// OpenRouter's 402 (out of credits).
  case paymentRequired
  /// Anthropic's 529 `overloaded_error`.
  case overloaded
  /// 401 invalid key.
  case unauthorized
  /// 400 invalid request.
  case badRequest
  /// 500 internal error.
  case serverError
  /// 200 with a body that is not JSON.
  case badJSON
  /// 200 JSON without the expected fields (`choices`, `content`, `message`, `data`, `models`).
  case wrongShape
  /// 200 stream that sends one content chunk, then an in-stream error
  /// (`data: {"error":{"message":"upstream error","code":502}}` for OpenAI-style).
  case streamError
  /// 200 stream whose final chunk has `finish_reason: "error"`.
  case streamFinishError
  /// Never answers (until the client gives up or the simulator stops).
  case hang
  /// 200 with a 2 MiB body.
  case hugeBody
  /// 200 stream that stops without its end marker (`data: [DONE]`, `message_stop`, `done: true`).
  case truncatedStream

  /// True for the faults that always answer with a stream.
  var isStream: Bool {
    self == .streamError || self == .streamFinishError || self == .truncatedStream
  }
}
