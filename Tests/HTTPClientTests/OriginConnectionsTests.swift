import AtalayaTestSupport
import Testing

@testable import HTTPClient

private typealias Origins = OriginConnections<Int>

/// `origins.admit` outside `#expect` (which cannot call a mutating method).
private func admit(_ origins: inout Origins, _ waiter: Int, _ origin: Int) -> Origins.Admission {
  origins.admit(waiter, origin: origin).admission
}

@Suite(.timeLimit(.minutes(1))) struct OriginConnectionsTests {
  @Test func oneOriginHasOneKeyWhateverThePathCaseOrUserInfo() {
    let key = Origins.key(of: "http://127.0.0.1:8080/v1/chat/completions")
    #expect(Origins.key(of: "HTTP://127.0.0.1:8080/v1/models?x=1") == key)
    #expect(Origins.key(of: "http://user:p%40ss@127.0.0.1:8080") == key)
    #expect(Origins.key(of: "http://127.0.0.1:8080?x#top") == key)
    #expect(Origins.key(of: "http://127.0.0.1:8080#top") == key)
    #expect(
      Origins.key(of: "https://API.openai.com/v1")
        == Origins.key(of: "https://api.openai.com/v1/models"))
    #expect(Origins.key(of: "http://[::1]:8080/a") == Origins.key(of: "http://[::1]:8080/b"))
    #expect(Origins.key(of: "http://[::1]:8081/a") != Origins.key(of: "http://[::1]:8080/a"))
    #expect(Origins.key(of: "http://127.0.0.1:8081/v1") != key)
    #expect(Origins.key(of: "https://127.0.0.1:8080/v1") != key)
    #expect(Origins.key(of: "http://127.0.0.2:8080/v1") != key)
    // libcurl ends the user info at its first "@".
    #expect(Origins.key(of: "http://a@b@127.0.0.1:8080/") != key)
  }

  @Test func transfersPastTheKeptOnesWaitInOrder() {
    var origins = Origins(kept: 2)
    let a = Origins.key(of: "http://a:1/")
    let b = Origins.key(of: "http://b:1/")
    #expect(admit(&origins, 1, a) == .keep)
    #expect(admit(&origins, 2, a) == .keep)
    #expect(admit(&origins, 3, a) == .wait)
    #expect(admit(&origins, 4, a) == .wait)
    #expect(admit(&origins, 5, b) == .keep, "each origin keeps its own")
    #expect(origins.waiterCount == 2)
    #expect(origins.oldestWaiters == [3])
    // A kept transfer's end hands its slot to the longest waiter.
    let ready = origins.finish(origin: a, counted: true, multiplexed: false)
    #expect(ready.map(\.0) == [3])
    #expect(ready.map(\.counted) == [true])
    // A fresh (uncounted) transfer's end frees no slot.
    #expect(origins.finish(origin: a, counted: false, multiplexed: false).isEmpty)
    #expect(origins.waiterCount == 1)
    for _ in 0..<2 { _ = origins.finish(origin: a, counted: true, multiplexed: false) }
    #expect(origins.waiterCount == 0)
    for _ in 0..<1 { _ = origins.finish(origin: a, counted: true, multiplexed: false) }
    _ = origins.finish(origin: b, counted: true, multiplexed: nil)
    #expect(origins.trackedOrigins == 0, "idle origins are forgotten")
    #expect(Origins(kept: 0).kept == 1)
  }

  @Test func overdueAndCancelledWaitersLeaveTheQueue() {
    var origins = Origins(kept: 1)
    let a = Origins.key(of: "http://a:1/")
    #expect(admit(&origins, 1, a) == .keep)
    for waiter in 2...5 { #expect(admit(&origins, waiter, a) == .wait) }
    #expect(origins.removeWaiters { $0 == 4 } == [4])
    #expect(origins.removeWaiters { $0 <= 3 } == [2, 3])
    #expect(origins.oldestWaiters == [5])
    #expect(origins.finish(origin: a, counted: true, multiplexed: false).map(\.0) == [5])
    _ = origins.finish(origin: a, counted: true, multiplexed: false)
    #expect(origins.trackedOrigins == 0)
  }

  @Test func anOriginAnsweringOverHTTP2NeverMakesATransferWait() {
    var origins = Origins(kept: 1)
    let a = Origins.key(of: "https://a/")
    #expect(admit(&origins, 1, a) == .keep)
    #expect(admit(&origins, 2, a) == .wait)
    #expect(admit(&origins, 3, a) == .wait)
    // The first answer shows HTTP/2: every waiter runs, none counted.
    let ready = origins.finish(origin: a, counted: true, multiplexed: true)
    #expect(ready.map(\.0) == [2, 3])
    #expect(ready.allSatisfy { !$0.counted })
    for waiter in 4..<10 { #expect(admit(&origins, waiter, a) == .keep) }
    #expect(origins.trackedOrigins == 1, "remembered while idle")
    // Back to HTTP/1.1 (a proxy changed): one kept connection again.
    _ = origins.finish(origin: a, counted: false, multiplexed: false)
    #expect(origins.trackedOrigins == 0)
    #expect(admit(&origins, 10, a) == .keep)
    #expect(admit(&origins, 11, a) == .wait)
  }

  /// `count` requests at once to `path`, on their own task; the statuses in completion order.
  private func burst(
    _ count: Int, to path: String, on server: TestHTTPServer, through transport: CurlTransport
  ) -> Task<[Int], Never> {
    Task {
      await withTaskGroup(of: Int.self) { group in
        for _ in 0..<count {
          group.addTask {
            await transport.send(HTTPRequest(url: server.baseURL + path, timeout: .seconds(60)))
              .status
          }
        }
        var statuses: [Int] = []
        for await status in group { statuses.append(status) }
        return statuses
      }
    }
  }

  /// A server that holds every request to /held until `gate` opens.
  private func heldServer(_ gate: ThreadGate) -> TestHTTPServer {
    TestHTTPServer { request in
      if request.path == "/held" { gate.wait() }
      return .respond(status: 200, body: request.path.bytes)
    }
  }

  @Test func byDefaultABurstToOneOriginSharesOneConnection() async {
    let loop = CurlMultiLoop()
    defer { loop.shutdown() }
    let transport = CurlTransport(loop: loop, userAgent: "atalaya/test")
    let server = TestHTTPServer { request in .respond(status: 200, body: request.path.bytes) }
    let statuses = await burst(8, to: "/fast", on: server, through: transport).value
    #expect(statuses == Array(repeating: 200, count: 8))
    #expect(server.connectionCount == 1)
  }

  @Test func aBurstWaitsForTheKeptConnections() async {
    // An overflow wait far longer than the test: every transfer runs on the two kept ones.
    let loop = CurlMultiLoop(
      maxConnections: 16, connectionsPerOrigin: 2, overflowWait: .seconds(600))
    defer { loop.shutdown() }
    let transport = CurlTransport(loop: loop, userAgent: "atalaya/test")
    let gate = ThreadGate()
    let server = heldServer(gate)
    defer { gate.open() }
    let held = burst(5, to: "/held", on: server, through: transport)
    await server.arrived.wait(count: 2)
    gate.open()
    #expect(await held.value == [200, 200, 200, 200, 200])
    #expect(server.requests.count == 5)
    #expect(server.connectionCount == 2, "the three others waited for the kept two")
    #expect(server.openConnectionCount == 2)
  }

  @Test func pastTheOverflowWaitATransferRunsOnAFreshConnectionClosedAfter() async {
    let loop = CurlMultiLoop(
      maxConnections: 16, connectionsPerOrigin: 2, overflowWait: .milliseconds(50))
    defer { loop.shutdown() }
    let transport = CurlTransport(loop: loop, userAgent: "atalaya/test")
    let gate = ThreadGate()
    let server = heldServer(gate)
    defer { gate.open() }
    let held = burst(5, to: "/held", on: server, through: transport)
    // The kept two hang; the three others start on their own connections once their
    // wait is over.
    await server.arrived.wait(count: 5)
    #expect(server.openConnectionCount == 5)
    gate.open()
    #expect(await held.value == [200, 200, 200, 200, 200])
    await server.closed.wait(count: 3)
    #expect(server.openConnectionCount == 2)
    for _ in 0..<4 {
      let response = await transport.send(
        HTTPRequest(url: server.baseURL + "/next", timeout: .seconds(10)))
      #expect(response.status == 200)
    }
    #expect(server.connectionCount == 5, "no new connection after the burst")
    #expect(server.openConnectionCount == 2)
    #expect(server.closed.count == 3)
  }

  @Test func theWaitForAKeptConnectionIsNotInTheMeasuredTime() async {
    let loop = CurlMultiLoop(
      maxConnections: 4, connectionsPerOrigin: 1, overflowWait: .seconds(600))
    defer { loop.shutdown() }
    let transport = CurlTransport(loop: loop, userAgent: "atalaya/test")
    // The server answers /slow after 300 ms, everything else at once.
    let server = TestHTTPServer { request in
      request.path == "/slow"
        ? .chunked(status: 200, chunks: [(delayMs: 300, bytes: "slow".bytes)])
        : .respond(status: 200, body: "fast".bytes)
    }
    let slow = Task {
      await transport.send(HTTPRequest(url: server.baseURL + "/slow", timeout: .seconds(60)))
    }
    await server.arrived.wait(count: 1)
    // Queued behind /slow on the one kept connection for most of its 300 ms.
    let clock = ContinuousClock()
    let submitted = clock.now
    let fast = await transport.send(
      HTTPRequest(url: server.baseURL + "/fast", timeout: .seconds(60)))
    let waited = clock.now - submitted
    #expect(await slow.value.body == "slow".bytes)
    #expect(fast.body == "fast".bytes)
    #expect(server.connectionCount == 1)
    #expect(waited >= .milliseconds(150))
    #expect(fast.timings.total < 0.15, "measured from when it left the queue")
  }

  @Test func cancellingAWaitingTransferLeavesTheQueue() async {
    let loop = CurlMultiLoop(
      maxConnections: 4, connectionsPerOrigin: 1, overflowWait: .seconds(600))
    defer { loop.shutdown() }
    let transport = CurlTransport(loop: loop, userAgent: "atalaya/test")
    let gate = ThreadGate()
    let server = heldServer(gate)
    defer { gate.open() }
    let kept = Task {
      await transport.send(HTTPRequest(url: server.baseURL + "/held", timeout: .seconds(60)))
    }
    await server.arrived.wait(count: 1)
    let waiting = Task {
      await transport.send(HTTPRequest(url: server.baseURL + "/waiting", timeout: .seconds(60)))
    }
    waiting.cancel()
    #expect(await waiting.value.error?.kind == .cancelled)
    gate.open()
    #expect(await kept.value.status == 200)
    let after = await transport.send(
      HTTPRequest(url: server.baseURL + "/after", timeout: .seconds(10)))
    #expect(after.status == 200)
    #expect(server.requests.map(\.path) == ["/held", "/after"])
    #expect(server.connectionCount == 1)
  }
}
