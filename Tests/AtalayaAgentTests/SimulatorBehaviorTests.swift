import AtalayaCore
import AtalayaTestSupport
import Foundation
import Simulator
import Testing

@Suite struct SimulatorBehaviorTests {
  @Test func periodicOutageFollowsTheInjectedClock() async throws {
    let clock = ManualTimeSource(Timestamp(seconds: 1_800_000_010))  // 10 s into a 180 s cycle
    let providers = [
      SimulatedProvider(
        name: "b", behavior: .periodicOutage(every: .seconds(180), down: .seconds(60)))
    ]
    try await withSimulator(providers, timeSource: clock) { _, port async throws in
      #expect(try await postChat(port: port, name: "b").status == 503)
      clock.advance(by: .seconds(49))  // 59 s: still down
      #expect(try await postChat(port: port, name: "b").status == 503)
      clock.advance(by: .seconds(1))  // 60 s: up
      #expect(try await postChat(port: port, name: "b").status == 200)
      clock.advance(by: .seconds(119))  // 179 s: up
      #expect(try await postChat(port: port, name: "b").status == 200)
      clock.advance(by: .seconds(1))  // next cycle: down
      let down = try await postChat(port: port, name: "b")
      #expect(down.status == 503)
      #expect(down.json?.object("error")?["message"] is String)
    }
  }

  @Test func flakyErrorRateIsNearTheConfiguredRateAndMixesStatuses() async throws {
    let providers = [SimulatedProvider(name: "f", behavior: .flaky(errorRate: 0.2, latency: .zero))]
    let statuses = try await withSimulator(providers, seed: 7) { _, port async throws in
      var statuses: [Int] = []
      for _ in 0..<500 { statuses.append(try await postChat(port: port, name: "f").status) }
      return statuses
    }
    let errors = statuses.filter { $0 != 200 }
    #expect(errors.count >= 70 && errors.count <= 130, "error count \(errors.count) of 500")
    #expect(Set(errors) == [500, 503, 429])
  }

  @Test func flakyIsDeterministicForASeed() async throws {
    let providers = [SimulatedProvider(name: "f", behavior: .flaky(errorRate: 0.5, latency: .zero))]
    func run(seed: UInt64) async throws -> [Int] {
      try await withSimulator(providers, seed: seed) { _, port async throws in
        var statuses: [Int] = []
        for _ in 0..<40 { statuses.append(try await postChat(port: port, name: "f").status) }
        return statuses
      }
    }
    let a = try await run(seed: 1)
    let b = try await run(seed: 1)
    let c = try await run(seed: 2)
    #expect(a == b)
    #expect(a != c)
  }

  @Test func rateLimitedEveryThirdRequest() async throws {
    try await withSimulator([SimulatedProvider(name: "t", behavior: .rateLimited(every: 3))]) {
      _, port async throws in
      var responses: [TestHTTPClientResponse] = []
      for _ in 0..<6 { responses.append(try await postChat(port: port, name: "t")) }
      #expect(responses.map(\.status) == [200, 200, 429, 200, 200, 429])
      let limited = responses[2]
      #expect(limited.header("retry-after") == "2")
      #expect(limited.header("x-ratelimit-remaining-requests") == "0")
      #expect(limited.json?.object("error")?["code"] as? String == "rate_limit_exceeded")
    }
  }

  @Test func setBehaviorSwitchesAtRuntime() async throws {
    try await withSimulator([SimulatedProvider(name: "s", behavior: .healthy(latency: .zero))]) {
      sim, port async throws in
      #expect(try await postChat(port: port, name: "s").status == 200)
      sim.setBehavior(.fault(.serverError), for: "s")
      #expect(sim.behavior(for: "s") == .fault(.serverError))
      #expect(try await postChat(port: port, name: "s").status == 500)
      #expect(try await postChat(port: port, name: "s").status == 500)
      sim.setBehavior(.healthy(latency: .zero), for: "s")
      #expect(try await postChat(port: port, name: "s").status == 200)
      #expect(sim.requestCount(for: "s") == 4)
    }
  }

  @Test func slowBehaviorTakesItsLatency() async throws {
    try await withSimulator([
      SimulatedProvider(name: "s", behavior: .slow(latency: .milliseconds(150)))
    ]) { _, port async throws in
      let clock = ContinuousClock()
      let start = clock.now
      #expect(try await postChat(port: port, name: "s").status == 200)
      #expect(clock.now - start >= .milliseconds(150))
    }
  }
}
