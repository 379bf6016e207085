import AtalayaCore
import HTTPClient
import Testing

/// One documented provider response, replayed over loopback by ``ProviderFixtureTests``.
/// `source` says where the response comes from: the provider's documentation, an official
/// SDK's tests or source, or (marked "captured") a real response quoted in a public issue.
/// "reconstructed" marks a body built from the documented envelope and status where no
/// verbatim body is published.
struct ProviderFixture: Sendable, CustomTestStringConvertible {
  var name: String
  var source: String
  var provider: ProviderType
  var stream = false
  var model = "m"
  var status: Int
  var headers: [HTTPHeader] = []
  var body: String
  /// What the classifier must say.
  var expected: ResultClass
  /// A fragment the outcome's message must contain.
  var messageContains: String?
  /// When the provider said to come back, if it did.
  var resumeAt: Timestamp?
  var usage: TokenUsage?
  /// Rate-limit readings the outcome must include (resource, remaining, reset seconds).
  var rateLimits: [RateLimitReading] = []

  var testDescription: String { name }

  static func json(_ status: Int, _ headers: [HTTPHeader] = []) -> [HTTPHeader] {
    [HTTPHeader(name: "Content-Type", value: "application/json")] + headers
  }
  static let sse = [HTTPHeader(name: "Content-Type", value: "text/event-stream")]
}

/// The probe's clock for every fixture: 2026-08-15T00:00:00Z.
let fixtureNow = Timestamp(seconds: 1_786_752_000)
