import AtalayaCore
import AtalayaTestSupport
import Logging
import ServiceLifecycle
import Simulator
import Testing

@Suite struct SimulatorLifecycleTests {
  @Test func runsAsAServiceAndStopsOnGracefulShutdownEvenWithAHangingRequest() async throws {
    let simulator = ProviderSimulator(providers: [
      SimulatedProvider(name: "h", behavior: .fault(.hang))
    ])
    let group = ServiceGroup(services: [simulator], logger: Logger(label: "test"))
    let running = Task { try await group.run() }
    let port = try await simulator.waitUntilListening()
    let request = Task { try await postChat(port: port, name: "h", timeout: .seconds(30)) }
    while simulator.requestCount(for: "h") == 0 { try await Task.sleep(for: .milliseconds(5)) }

    let clock = ContinuousClock()
    let start = clock.now
    await group.triggerGracefulShutdown()
    try await running.value
    // Well under the client's 30 s: shutdown did not wait for the hanging request.
    #expect(clock.now - start < .seconds(10))
    // The hanging request is released with a 503.
    #expect(try await request.value.status == 503)
  }

  @Test func waitUntilListeningThrowsWhenThePortIsTaken() async throws {
    try await withSimulator([]) { _, port async throws in
      let second = ProviderSimulator(providers: [], port: port)
      let running = Task { try await second.run() }
      await #expect(throws: (any Error).self) { try await second.waitUntilListening() }
      await #expect(throws: (any Error).self) { try await running.value }
    }
  }
}
