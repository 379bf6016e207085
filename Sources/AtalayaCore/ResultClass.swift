/// The outcome of one probe, classified. The raw values are the `result`
/// label values in /metrics and the status API.
public enum ResultClass: String, CaseIterable, Sendable, Codable, Hashable {
  case success
  case timeout
  case dns
  case connect
  case tls
  case rateLimited = "rate_limited"
  case quotaExhausted = "quota_exhausted"
  case overloaded
  case auth
  /// The model does not exist, was retired, or no endpoint serves it.
  case modelUnavailable = "model_unavailable"
  case clientError = "client_error"
  case serverError = "server_error"
  case streamError = "stream_error"
  case badResponse = "bad_response"

  /// True only for ``success``.
  public var isSuccess: Bool { self == .success }
}
