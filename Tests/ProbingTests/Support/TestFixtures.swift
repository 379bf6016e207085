import AtalayaCore
import AtalayaTestSupport
import Glibc
import HTTPClient
import Probing
import Testing

/// One multi loop shared by the transport tests (as in production).
let sharedLoop = CurlMultiLoop()
let sharedTransport = CurlTransport(loop: sharedLoop, userAgent: "atalaya/test")

/// A response as the classifier sees it, built by hand.
func cannedResponse(
  status: Int, contentType: String? = "application/json", headers: [HTTPHeader] = [], body: String,
  error: TransportError? = nil
) -> HTTPResponse {
  var all = headers
  if let contentType { all.insert(HTTPHeader(name: "content-type", value: contentType), at: 0) }
  return HTTPResponse(
    status: status, headers: all, body: body.bytes, timings: PhaseTimings(total: 0.1), error: error)
}

let testStart = Timestamp(seconds: 1_800_000_000)

func provider(
  _ type: ProviderType, baseURL: String = "http://127.0.0.1:1",
  key: String? = "sk-test-0123456789abcdef",
  headers: [HeaderField] = []
) -> ProviderConfig {
  ProviderConfig(
    name: "p", type: type, baseURL: baseURL, apiKey: key.map(Secret.init), headers: headers)
}

func chat(
  _ model: String = "m", stream: Bool = false, maxTokens: Int = 8, timeout: Duration = .seconds(2)
) -> CheckConfig {
  CheckConfig(kind: .chat, model: model, maxTokens: maxTokens, stream: stream, timeout: timeout)
}

let modelsCheck = CheckConfig(kind: .models, model: CheckID.modelsCheckModel, timeout: .seconds(2))

/// Classifies a canned response the way a probe would.
func outcome(_ response: HTTPResponse, _ p: ProviderConfig, _ check: CheckConfig) -> ProbeOutcome {
  guard
    let o = Prober.outcome(
      of: response, provider: p, check: check, startedAt: testStart, receivedAt: testStart)
  else {
    Issue.record("a cancelled response has no outcome")
    return ProbeOutcome(
      check: check.id(provider: p.name), result: .connect, startedAt: testStart)
  }
  return o
}

extension Prober {
  /// ``Prober/probe(provider:check:request:)`` for tests that never cancel it: records an
  /// issue when the probe had no outcome.
  func probeOnce(provider: ProviderConfig, check: CheckConfig) async -> ProbeOutcome {
    guard let o = await probe(provider: provider, check: check) else {
      Issue.record("the probe had no outcome (cancelled)")
      return ProbeOutcome(
        check: check.id(provider: provider.name), result: .connect, startedAt: testStart)
    }
    return o
  }
}
