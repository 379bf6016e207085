import AtalayaCore
import AtalayaTestSupport
import Foundation
import Simulator
import Testing

@Suite struct SimulatorFaultTests {
  static let answeringFaults = Fault.allCases.filter { $0 != .hang }

  @Test(arguments: answeringFaults)
  func openAIFaultHasItsStatusAndBody(_ fault: Fault) async throws {
    try await withSimulator([SimulatedProvider(name: "f", behavior: .fault(fault))]) {
      _, port async throws in
      let r = try await postChat(port: port, name: "f", body: chatBody(stream: true))
      let error = r.json?.object("error")
      switch fault {
      case .rateLimited:
        #expect(r.status == 429)
        #expect(error?["code"] as? String == "rate_limit_exceeded")
        #expect(r.header("retry-after") == "2")
        #expect(r.header("x-ratelimit-remaining-requests") == "0")
      case .insufficientQuota:
        #expect(r.status == 429)
        #expect(error?["type"] as? String == "insufficient_quota")
        #expect(error?["code"] as? String == "insufficient_quota")
      case .paymentRequired:
        #expect(r.status == 402)
        #expect(error?["code"] as? Int == 402)
      case .overloaded:
        #expect(r.status == 529)
        #expect(r.json?["type"] as? String == "error")
        #expect(error?["type"] as? String == "overloaded_error")
      case .unauthorized:
        #expect(r.status == 401)
        #expect(error?["code"] as? String == "invalid_api_key")
      case .badRequest:
        #expect(r.status == 400)
        #expect(error?["type"] as? String == "invalid_request_error")
      case .serverError:
        #expect(r.status == 500)
        #expect(error?["type"] as? String == "server_error")
      case .badJSON:
        #expect(r.status == 200)
        #expect(!r.body.isEmpty)
        #expect((try? JSONSerialization.jsonObject(with: Data(r.body))) == nil)
      case .wrongShape:
        #expect(r.status == 200)
        #expect(r.json != nil)
        #expect(r.json?["choices"] == nil)
      case .hugeBody:
        #expect(r.status == 200)
        #expect(r.body.count >= 2 << 20)
      case .streamError:
        #expect(r.status == 200)
        #expect(r.header("content-type") == "text/event-stream")
        let events = sseData(r.text)
        #expect(events.count == 2)
        let first = jsonObject(events.first ?? "")
        #expect(first?.objects("choices")?.first?.object("delta")?["content"] as? String == "o")
        #expect(jsonObject(events.last ?? "")?.object("error")?["code"] as? Int == 502)
        #expect(
          jsonObject(events.last ?? "")?.object("error")?["message"] as? String == "upstream error")
      case .streamFinishError:
        #expect(r.status == 200)
        let finishes = sseData(r.text).compactMap(jsonObject).compactMap {
          $0.objects("choices")?.first?["finish_reason"] as? String
        }
        #expect(finishes == ["error"])
      case .truncatedStream:
        #expect(r.status == 200)
        #expect(r.header("content-type") == "text/event-stream")
        let events = sseData(r.text)
        #expect(!events.isEmpty)
        #expect(!events.contains("[DONE]"))
      case .hang:
        Issue.record("hang is tested separately")
      }
    }
  }

  @Test func hangNeverAnswers() async throws {
    try await withSimulator([SimulatedProvider(name: "h", behavior: .fault(.hang))]) {
      sim, port async throws in
      await #expect(throws: TestHTTPClientError.timeout) {
        try await postChat(port: port, name: "h", timeout: .milliseconds(300))
      }
      // Under load the server may see the request after the client gave up.
      let deadline = ContinuousClock.now + .seconds(3)
      while sim.requestCount(for: "h") == 0 && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(10))
      }
      #expect(sim.requestCount(for: "h") == 1)
    }
  }

  @Test func statusFaultsApplyToModelsToo() async throws {
    try await withSimulator([SimulatedProvider(name: "f", behavior: .fault(.serverError))]) {
      sim, port async throws in
      #expect(
        try await TestHTTPClient.request("GET", port: port, path: "/f/v1/models").status == 500)
      sim.setBehavior(.fault(.wrongShape), for: "f")
      let wrong = try await TestHTTPClient.request("GET", port: port, path: "/f/v1/models")
      #expect(wrong.status == 200)
      #expect(wrong.json?["data"] == nil)
    }
  }

  @Test func anthropicFaultsUseItsEnvelopeAndEvents() async throws {
    let body =
      #"{"model":"c","max_tokens":4,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#
    try await withSimulator([
      SimulatedProvider(name: "a", type: .anthropic, behavior: .fault(.rateLimited))
    ]) { sim, port async throws in
      let limited = try await TestHTTPClient.request(
        "POST", port: port, path: "/a/v1/messages", body: body)
      #expect(limited.status == 429)
      #expect(limited.json?.object("error")?["type"] as? String == "rate_limit_error")
      #expect(limited.header("anthropic-ratelimit-requests-remaining") == "0")
      #expect(limited.header("retry-after") != nil)

      sim.setBehavior(.fault(.streamError), for: "a")
      let stream = try await TestHTTPClient.request(
        "POST", port: port, path: "/a/v1/messages", body: body)
      #expect(stream.text.contains("event: content_block_delta"))
      #expect(stream.text.contains("event: error"))
      #expect(!stream.text.contains("message_stop"))

      sim.setBehavior(.fault(.truncatedStream), for: "a")
      let truncated = try await TestHTTPClient.request(
        "POST", port: port, path: "/a/v1/messages", body: body)
      #expect(truncated.text.contains("event: message_start"))
      #expect(!truncated.text.contains("message_stop"))
    }
  }
}
