import AtalayaAgent
import AtalayaCore
import AtalayaTestSupport
import Probing
import Simulator
import Testing

/// Every probe result class, produced by the real prober over real loopback
/// HTTP against the simulated providers.
@Suite("Result classes end to end")
struct ResultClassEndToEndTests {
  static let probing = ProbingStack()

  private func probe(
    _ provider: SimulatedProvider, stream: Bool = false, timeout: Duration = .seconds(10),
    baseURL: ((ProviderSimulator, Int) -> String)? = nil
  ) async throws -> ProbeOutcome {
    try await withSimulator([provider]) { simulator, port in
      let prober = Self.probing.prober
      let config = ProviderConfig(
        name: provider.name, type: provider.type,
        baseURL: baseURL?(simulator, port)
          ?? simulator.baseURL(for: provider.name, type: provider.type),
        apiKey: Secret(testAPIKey), interval: .seconds(30), timeout: timeout)
      let check = CheckConfig(
        model: "sim-model", stream: stream, interval: .seconds(30), timeout: timeout)
      return try #require(await prober.probe(provider: config, check: check))
    }
  }

  private func provider(_ behavior: Behavior, type: ProviderType = .openai) -> SimulatedProvider {
    SimulatedProvider(name: "p", type: type, behavior: behavior, apiKey: testAPIKey)
  }

  @Test(arguments: [
    (Fault.rateLimited, ResultClass.rateLimited),
    (.insufficientQuota, .quotaExhausted),
    (.paymentRequired, .quotaExhausted),
    (.overloaded, .overloaded),
    (.unauthorized, .auth),
    (.badRequest, .clientError),
    (.serverError, .serverError),
    (.badJSON, .badResponse),
    (.wrongShape, .badResponse),
    (.hugeBody, .badResponse),
  ])
  func faultClassifies(fault: Fault, expected: ResultClass) async throws {
    let outcome = try await probe(provider(.fault(fault)))
    #expect(outcome.result == expected, "\(fault): \(outcome.message ?? "")")
    #expect(outcome.message?.contains(testAPIKey) != true)
  }

  @Test(arguments: [Fault.streamError, .streamFinishError, .truncatedStream])
  func streamFaultsAreStreamErrors(fault: Fault) async throws {
    let outcome = try await probe(provider(.fault(fault)), stream: true)
    #expect(outcome.result == .streamError, "\(fault): \(outcome.message ?? "")")
    #expect(outcome.httpStatus == 200)
  }

  @Test func healthyStreamRecordsTTFTUsageAndRateLimits() async throws {
    let outcome = try await probe(provider(.healthy(latency: .milliseconds(100))), stream: true)
    #expect(outcome.result == .success, "\(outcome.message ?? "")")
    #expect(outcome.httpStatus == 200)
    let ttft = try #require(outcome.ttft)
    #expect(ttft >= 0.04 && ttft < 5)
    #expect((outcome.usage?.outputTokens ?? 0) > 0)
    #expect(outcome.rateLimits.contains { $0.resource == .requests && $0.remaining != nil })
    let t = try #require(outcome.timings)
    #expect(t.total >= t.firstByte && t.firstByte >= t.connect && t.total > 0)
  }

  @Test(arguments: [ProviderType.openai, .anthropic, .ollama])
  func everyDialectSucceeds(type: ProviderType) async throws {
    let outcome = try await probe(provider(.healthy(), type: type))
    #expect(outcome.result == .success, "\(type): \(outcome.message ?? "")")
    #expect((outcome.usage?.inputTokens ?? 0) > 0)
  }

  @Test func hangIsATimeout() async throws {
    let outcome = try await probe(provider(.fault(.hang)), timeout: .milliseconds(300))
    #expect(outcome.result == .timeout)
  }

  @Test func unresolvableHostIsDNS() async throws {
    let outcome = try await probe(provider(.healthy())) { _, _ in "http://atalaya-test.invalid/v1" }
    #expect(outcome.result == .dns)
  }

  @Test func refusedPortIsConnect() async throws {
    let port = FreePort.find()
    let outcome = try await probe(provider(.healthy())) { _, _ in "http://127.0.0.1:\(port)/v1" }
    #expect(outcome.result == .connect)
  }

  @Test func tlsToAPlainPortIsTLS() async throws {
    let outcome = try await probe(provider(.healthy())) { _, port in
      "https://127.0.0.1:\(port)/p/v1"
    }
    #expect(outcome.result == .tls)
  }
}
