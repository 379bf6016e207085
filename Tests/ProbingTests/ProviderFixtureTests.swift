import AtalayaCore
import AtalayaTestSupport
import HTTPClient
import Probing
import Testing

/// Replays every documented provider response of ``ProviderFixture/all`` over loopback
/// through the real transport (libcurl against a loopback server) and checks the class,
/// the message, the resume time, usage and rate-limit readings.
@Suite struct ProviderFixtureTests {
  @Test(arguments: ProviderFixture.all)
  func fixtureIsClassifiedAsDocumented(_ fixture: ProviderFixture) async throws {
    let body = Array(fixture.body.utf8)
    let server = TestHTTPServer { _ in
      .respond(status: fixture.status, headers: fixture.headers, body: body)
    }
    defer { server.stop() }
    let base = fixture.provider == .ollama ? server.baseURL : server.baseURL + "/v1"
    let p = provider(
      fixture.provider, baseURL: base,
      key: fixture.provider == .ollama ? nil : "sk-test-0123456789abcdef")
    let prober = Prober(
      transport: sharedTransport, timeSource: ManualTimeSource(fixtureNow),
      userAgent: "atalaya/test")
    let o = await prober.probeOnce(
      provider: p, check: chat(fixture.model, stream: fixture.stream, maxTokens: 16))
    #expect(o.result == fixture.expected, "\(fixture.name) (\(fixture.source)): \(o.message ?? "")")
    #expect(o.httpStatus == fixture.status)
    #expect(server.requests.count == 1, "the fixture went over loopback")
    if let fragment = fixture.messageContains {
      #expect(o.message?.contains(fragment) == true, "\(o.message ?? "no message")")
    }
    if o.result != .success {
      #expect(o.message != nil, "a failure always says why")
    }
    #expect(o.resumeAt == fixture.resumeAt, "\(fixture.name)")
    if let usage = fixture.usage {
      #expect(o.usage?.inputTokens == usage.inputTokens)
      #expect(o.usage?.outputTokens == usage.outputTokens)
      if let cost = usage.costUSD {
        #expect(abs((o.usage?.costUSD ?? -1) - cost) < 1e-9, "cost \(String(describing: o.usage))")
      }
    }
    for want in fixture.rateLimits {
      let got = o.rateLimits.first { $0.resource == want.resource }
      #expect(got?.remaining == want.remaining, "\(want.resource): \(o.rateLimits)")
      #expect(
        abs((got?.resetSeconds ?? -1) - (want.resetSeconds ?? 0)) < 1e-6,
        "\(want.resource): \(o.rateLimits)")
    }
  }

  /// Every class the issue names has at least one fixture, and every fixture names its source.
  @Test func theCorpusCoversEveryClassItNames() {
    let classes = Set(ProviderFixture.all.map(\.expected))
    for result in [
      ResultClass.success, .rateLimited, .quotaExhausted, .overloaded, .clientError, .serverError,
      .streamError, .modelUnavailable,
    ] {
      #expect(classes.contains(result), "no fixture for \(result.rawValue)")
    }
    for fixture in ProviderFixture.all { #expect(fixture.source.count > 10, "\(fixture.name)") }
    #expect(Set(ProviderFixture.all.map(\.name)).count == ProviderFixture.all.count)
  }
}
