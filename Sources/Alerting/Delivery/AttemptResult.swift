import AtalayaCore
import HTTPClient

/// What one delivery attempt came to.
public enum AttemptResult: Sendable, Equatable {
  /// 2xx: done.
  case delivered
  /// A transport error, 408, 429 or 5xx: try again later (no sooner than
  /// `retryAfter` seconds when the server said so on 429 or 503).
  case retryable(reason: String, retryAfter: Double?)
  /// Any other status (4xx, 3xx): retrying cannot help.
  case permanent(reason: String)

  /// Classifies `response`, reading `Retry-After` relative to `now`.
  public static func classify(_ response: HTTPResponse, now: Timestamp) -> AttemptResult {
    if let error = response.error {
      return .retryable(reason: "\(error.kind.rawValue): \(error.message)", retryAfter: nil)
    }
    let status = response.status
    switch status {
    case 200..<300:
      return .delivered
    case 429, 503:
      return .retryable(reason: "HTTP \(status)", retryAfter: response.retryAfter(now: now))
    case 408, 500..<600:
      return .retryable(reason: "HTTP \(status)", retryAfter: nil)
    case 0:
      return .retryable(reason: "no response", retryAfter: nil)
    default:
      return .permanent(reason: "HTTP \(status)")
    }
  }

  /// Classifies an SMTP submission by its last reply code: 2xx delivered, 4xx
  /// retryable (the server asks to try later), 5xx permanent; a failure with no reply
  /// (connect, TLS, timeout) is retryable.
  public static func classifySMTP(_ response: HTTPResponse) -> AttemptResult {
    let code = response.status
    let detail = response.error.map { ": \($0.message)" } ?? ""
    switch code {
    case 200..<300 where response.error == nil:
      return .delivered
    case 400..<500:
      return .retryable(reason: "SMTP \(code)\(detail)", retryAfter: nil)
    case 500..<600:
      return .permanent(reason: "SMTP \(code)\(detail)")
    default:
      if let error = response.error {
        return .retryable(reason: "\(error.kind.rawValue): \(error.message)", retryAfter: nil)
      }
      return .retryable(reason: "unexpected SMTP reply \(code)", retryAfter: nil)
    }
  }

  /// The same result with secrets (the receiver's URL, token, header values)
  /// removed from its reason, before it is stored or logged.
  public func redacted(by redactor: Redactor) -> AttemptResult {
    switch self {
    case .delivered: .delivered
    case .retryable(let reason, let retryAfter):
      .retryable(reason: redactor.redact(reason), retryAfter: retryAfter)
    case .permanent(let reason): .permanent(reason: redactor.redact(reason))
    }
  }
}
