import AtalayaCore
import AtalayaTestSupport
import HTTPClient
import Synchronization
import Testing

@Suite struct CurlTransportTests {
  @Test func normalJSONResponseHasStatusHeadersBodyAndTimings() async {
    let server = TestHTTPServer(
      headers: [HTTPHeader(name: "X-Custom", value: "Yes")], body: #"{"ok":true}"#)
    let response = await sharedTransport.send(
      HTTPRequest(url: server.baseURL + "/v1/x", timeout: .seconds(10)))
    #expect(response.error == nil)
    #expect(response.status == 200)
    #expect(response.body == #"{"ok":true}"#.bytes)
    #expect(response.header("x-custom") == "Yes")
    #expect(response.headers.allSatisfy { $0.name == $0.name.lowercased() })
    #expect(response.httpVersion == "1.1")
    #expect(response.timings.total > 0)
    #expect(response.timings.connect > 0)
    #expect(response.timings.firstByte >= response.timings.connect)
    #expect(response.timings.tls == 0)
    #expect(!response.bodyTruncated)
    #expect(server.requests.first?.header("user-agent") == "atalaya/test")
    #expect(server.requests.first?.path == "/v1/x")
  }

  @Test func preparedRequestSharesItsHeaderListAndFollowsLaterChanges() async {
    let server = TestHTTPServer(body: "ok")
    var request = HTTPRequest(
      method: "POST", url: server.baseURL + "/p",
      headers: [
        HTTPHeader(name: "X-Key", value: "v1"),
        HTTPHeader(name: "X-Inject", value: "a\r\nX-Evil: 1"),
        HTTPHeader(name: "X-Empty", value: ""),
      ],
      body: Array("{}".utf8), timeout: .seconds(10)
    ).prepared()
    for _ in 0..<3 { #expect(await sharedTransport.send(request).status == 200) }
    #expect(server.requests.count == 3)
    for sent in server.requests {
      #expect(sent.header("x-key") == "v1")
      #expect(sent.header("x-inject") == "aX-Evil: 1")  // CR LF removed, no second header
      #expect(sent.header("x-evil") == nil)
      #expect(sent.header("x-empty") == "")
      #expect(sent.header("expect") == nil)
    }
    // Headers changed after prepared(): the stale list is not used.
    request.headers[0].value = "v2"
    #expect(await sharedTransport.send(request).status == 200)
    #expect(server.requests.last?.header("x-key") == "v2")
    #expect(server.requests.last?.header("x-evil") == nil)
  }

  @Test func postSendsMethodHeadersAndBody() async {
    let server = TestHTTPServer(status: 201, body: "created")
    let response = await sharedTransport.send(
      HTTPRequest(
        method: "POST", url: server.baseURL + "/post",
        headers: [
          HTTPHeader(name: "X-Key", value: "v1"),
          HTTPHeader(name: "Content-Type", value: "application/json"),
        ],
        body: #"{"a":1}"#.bytes, timeout: .seconds(10)))
    #expect(response.status == 201)
    let request = server.requests.first
    #expect(request?.method == "POST")
    #expect(request?.header("x-key") == "v1")
    #expect(request?.bodyText == #"{"a":1}"#)
    #expect(request?.header("expect") == nil)
  }

  @Test func errorStatusIsAResponseNotATransportError() async {
    let server = TestHTTPServer(status: 503, body: "down")
    let response = await sharedTransport.send(
      HTTPRequest(url: server.baseURL, timeout: .seconds(10)))
    #expect(response.error == nil)
    #expect(response.status == 503)
    #expect(response.body == "down".bytes)
  }

  @Test func chunkedStreamRecordsChunkArrivals() async {
    let server = TestHTTPServer { _ in
      .chunked(status: 200, chunks: [(0, "first\n".bytes), (150, "second\n".bytes)])
    }
    let response = await sharedTransport.send(
      HTTPRequest(url: server.baseURL, timeout: .seconds(10)))
    #expect(response.error == nil)
    #expect(response.body == "first\nsecond\n".bytes)
    #expect(response.chunkArrivals.count == 2)
    #expect(response.chunkArrivals.map(\.offset) == [0, 6])
    // The server sleeps 150 ms after the first chunk: the second cannot
    // arrive earlier than that after the request started.
    let second = response.chunkArrivals[1].seconds
    #expect(second >= 0.15 && second < 1.0)
    #expect(response.chunkArrivals[0].seconds < second)
    #expect(response.arrivalTime(ofByteAt: 7) == response.chunkArrivals[1].seconds)
  }

  @Test func bodyOverTheCapIsTruncatedAndAborted() async {
    let big = [UInt8](repeating: UInt8(ascii: "a"), count: 2 << 20)
    let server = TestHTTPServer { _ in .respond(status: 200, body: big) }
    let response = await sharedTransport.send(
      HTTPRequest(url: server.baseURL, timeout: .seconds(10)))
    #expect(response.bodyTruncated)
    #expect(response.body.count == 1 << 20)
    #expect(response.error?.kind == .bodyTooLarge)
    #expect(response.status == 200)
  }

  /// Issue 15, finding 9: a request that only needs the status (a delivery) gets a complete
  /// response with its body cut at the cap, not an error.
  @Test func bodyOverTheCapIsOnlyCutWhenTheRequestSaysSo() async {
    let big = [UInt8](repeating: UInt8(ascii: "a"), count: 100 << 10)
    let server = TestHTTPServer { _ in .respond(status: 200, body: big) }
    let response = await sharedTransport.send(
      HTTPRequest(
        method: "POST", url: server.baseURL, body: Array("{}".utf8), timeout: .seconds(10),
        maxBodyBytes: 64 << 10, overlongBody: .isCut))
    #expect(response.error == nil)
    #expect(response.status == 200)
    #expect(response.bodyTruncated)
    #expect(response.body.count == 64 << 10)
  }

  @Test func hangingServerHitsTheTimeout() async {
    let server = TestHTTPServer { _ in .hang }
    let start = monotonicSeconds()
    let response = await sharedTransport.send(
      HTTPRequest(url: server.baseURL, timeout: .milliseconds(200)))
    let elapsed = monotonicSeconds() - start
    #expect(response.error?.kind == .timeout)
    #expect(response.error?.code == 28)
    // Generous upper bound: a starved CI machine (the suite under TSan) may delay the task
    // by seconds; a missing timeout would never return (the server hangs until stopped,
    // which is after this line).
    #expect(elapsed >= 0.19 && elapsed < 40)
    server.stop()
  }

  @Test func refusedPortIsConnect() async {
    let response = await sharedTransport.send(
      HTTPRequest(url: "http://127.0.0.1:\(refusedPort())/", timeout: .seconds(10)))
    #expect(response.error?.kind == .connect)
    #expect(response.status == 0)
  }

  @Test func unresolvableHostIsDNS() async {
    let response = await sharedTransport.send(
      HTTPRequest(url: "http://nonexistent.invalid/", timeout: .seconds(10)))
    #expect(response.error?.kind == .dns)
    #expect(response.error?.message.isEmpty == false)
  }

  @Test func tlsAgainstPlainHTTPIsTLS() async {
    let server = TestHTTPServer(body: "plain")
    let response = await sharedTransport.send(
      HTTPRequest(url: "https://127.0.0.1:\(server.port)/", timeout: .seconds(10)))
    #expect(response.error?.kind == .tls)
  }

  @Test func cancellingTheTaskCancelsTheTransfer() async {
    let server = TestHTTPServer { _ in .hang }
    let task = Task {
      await sharedTransport.send(HTTPRequest(url: server.baseURL, timeout: .seconds(120)))
    }
    // Cancel only once the request reached the server: the in-flight path, not the
    // cancelled-before-start one.
    await server.received.wait(count: 1)
    let cancelledAt = monotonicSeconds()
    task.cancel()
    let response = await task.value
    #expect(response.error?.kind == .cancelled)
    // Long before the 120 s transfer timeout could end it: the cancellation did. (The
    // bound leaves room for a starved machine, such as the whole suite under TSan.)
    #expect(monotonicSeconds() - cancelledAt < 60)
    // The loop keeps working after a cancellation.
    let ok = TestHTTPServer(body: "ok")
    #expect(
      await sharedTransport.send(HTTPRequest(url: ok.baseURL, timeout: .seconds(10))).status == 200)
    server.stop()
  }

  @Test func alreadyCancelledTaskFailsAtOnce() async {
    let server = TestHTTPServer(body: "ok")
    let task = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return await sharedTransport.send(HTTPRequest(url: server.baseURL, timeout: .seconds(10)))
    }
    let response = await task.value
    #expect(response.error?.kind == .cancelled)
  }

  @Test func manyConcurrentRequestsAllComplete() async {
    let server = TestHTTPServer { request in .respond(status: 200, body: request.path.bytes) }
    let responses = await withTaskGroup(of: (Int, HTTPResponse).self) { group in
      for i in 0..<50 {
        group.addTask {
          (
            i,
            await sharedTransport.send(
              HTTPRequest(url: server.baseURL + "/\(i)", timeout: .seconds(3)))
          )
        }
      }
      var all: [(Int, HTTPResponse)] = []
      for await r in group { all.append(r) }
      return all
    }
    #expect(responses.count == 50)
    for (i, response) in responses {
      #expect(response.status == 200)
      #expect(response.body == "/\(i)".bytes)
    }
  }

  @Test func sequentialRequestsReuseOneConnection() async {
    // Its own loop: the shared one's connection cache is churned by the
    // concurrent tests, which could evict the idle connection.
    let loop = CurlMultiLoop(maxConnections: 4)
    defer { loop.shutdown() }
    let transport = CurlTransport(loop: loop, userAgent: "atalaya/test")
    let server = TestHTTPServer(body: "ok")
    for _ in 0..<5 {
      let response = await transport.send(HTTPRequest(url: server.baseURL, timeout: .seconds(10)))
      #expect(response.status == 200)
    }
    #expect(server.requests.count == 5)
    #expect(server.connectionCount == 1)
  }

  @Test func closeMidBodyIsAnOtherError() async {
    let server = TestHTTPServer { _ in
      .closeMidBody(status: 200, declaredLength: 100, sent: "partial".bytes)
    }
    let response = await sharedTransport.send(
      HTTPRequest(url: server.baseURL, timeout: .seconds(10)))
    #expect(response.status == 200)
    #expect(response.error?.kind == .other)
    #expect(response.body == "partial".bytes)
  }

  @Test func shutdownCancelsInFlightAndIsIdempotent() async {
    let loop = CurlMultiLoop()
    let transport = CurlTransport(loop: loop, userAgent: "atalaya/test")
    let server = TestHTTPServer { _ in .hang }
    // A transfer timeout far longer than the test: only the shutdown can end the transfer.
    let task = Task {
      await transport.send(HTTPRequest(url: server.baseURL, timeout: .seconds(120)))
    }
    // Shut down with the transfer in flight (the server has the request).
    await server.received.wait(count: 1)
    #expect(loop.isRunning)
    loop.shutdown()
    loop.shutdown()
    #expect(!loop.isRunning)
    let response = await task.value
    #expect(response.error?.kind == .cancelled)
    let after = await transport.send(HTTPRequest(url: server.baseURL, timeout: .seconds(1)))
    #expect(after.error?.kind == .cancelled)
    server.stop()
  }
}
