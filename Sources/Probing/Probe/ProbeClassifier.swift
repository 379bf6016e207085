import AtalayaCore
import HTTPClient

/// Turns one HTTP exchange into a ``ResultClass`` and a short message. Pure:
/// the same response always gives the same outcome.
///
/// Transport failures map by kind (timeout, dns, connect, tls). A failure of
/// kind `other` (empty reply, reset, partial body) counts as `stream_error` on
/// a 2xx stream, as the status says when a 3xx–5xx status was received, as
/// `server_error` when a connection was made (the server broke the exchange)
/// and as `connect` when none was. A cancelled transfer is no outcome at all:
/// ``Prober`` returns nil for it before classifying (the agent cancelled it, the
/// provider did nothing), so it is never recorded as a failure.
enum ProbeClassifier {
  struct Verdict: Sendable, Equatable {
    var result: ResultClass
    var message: String?
    var usage: TokenUsage?
    /// Body offset of the first content (streams), for TTFT.
    var firstContentOffset: Int?
    /// For a models check with `expect`: the expected models the list lacks.
    var missingModels: [String]?
    /// For a spent quota: when the error body says it returns.
    var quotaReturn: Timestamp?

    init(
      _ result: ResultClass, _ message: String? = nil, usage: TokenUsage? = nil,
      firstContentOffset: Int? = nil
    ) {
      self.result = result
      self.message = message
      self.usage = usage
      self.firstContentOffset = firstContentOffset
    }
  }

  /// Classifies `response` to `check`, spoken in `dialect`. Messages are not
  /// yet redacted.
  static func classify(_ response: HTTPResponse, dialect: any ProviderDialect, check: CheckConfig)
    -> Verdict
  {
    if let error = response.error {
      switch error.kind {
      case .timeout: return Verdict(.timeout, "timeout: \(error.message)")
      case .dns: return Verdict(.dns, "dns: \(error.message)")
      case .connect: return Verdict(.connect, "connect: \(error.message)")
      case .tls: return Verdict(.tls, "tls: \(error.message)")
      // Not reached through Prober (see above); a failure if it ever were, never a success.
      case .cancelled: return Verdict(.connect, "cancelled: \(error.message)")
      case .bodyTooLarge: return Verdict(.badResponse, error.message)
      case .other:
        if (200..<300).contains(response.status) {
          if check.kind == .chat && check.stream {
            return Verdict(.streamError, "stream interrupted: \(error.message)")
          }
          return Verdict(.serverError, "response interrupted: \(error.message)")
        }
        if response.status >= 300 { break }
        if response.timings.connect > 0 {
          return Verdict(.serverError, "server error: \(error.message)")
        }
        return Verdict(.connect, "connect: \(error.message)")
      }
    }
    if response.bodyTruncated {
      return Verdict(.badResponse, "response body exceeded the size limit")
    }
    let status = response.status
    guard (200..<300).contains(status) else { return classifyFailure(response) }
    switch check.kind {
    case .models:
      guard let json = JSONValue.parse(response.body), let ids = dialect.modelIDs(json) else {
        return Verdict(.badResponse, "HTTP \(status): response is not a model list")
      }
      var verdict = Verdict(.success)
      if !check.expectedModels.isEmpty {
        verdict.missingModels = DialectSupport.missing(check.expectedModels, from: ids)
      }
      return verdict
    case .chat:
      let reading = dialect.readChat(response, check: check)
      switch reading.verdict {
      case .ok:
        return Verdict(
          .success, usage: reading.usage, firstContentOffset: reading.firstContentOffset)
      case .badResponse(let message):
        return Verdict(.badResponse, "HTTP \(status): \(message)", usage: reading.usage)
      case .streamError(let message):
        return Verdict(.streamError, "HTTP \(status): \(message)", usage: reading.usage)
      case .failure(let result, let message):
        return Verdict(result, "HTTP \(status): \(message)", usage: reading.usage)
      }
    }
  }

  /// Classifies a non-2xx status from the status and the provider's error body
  /// (see ``FailureClassifier``).
  static func classifyFailure(_ response: HTTPResponse) -> Verdict {
    let status = response.status
    let error = ProviderErrorBody(body: response.body)
    let message = error.message.map { "HTTP \(status): \($0)" } ?? "HTTP \(status)"
    var verdict = Verdict(
      FailureClassifier.classify(status: status, error: error) ?? .badResponse, message)
    if verdict.result == .quotaExhausted {
      verdict.quotaReturn = FailureClassifier.quotaReturn(error)
    }
    return verdict
  }
}
