import AtalayaCore
import HTTPClient
import Probing
import Testing

/// The prober must classify anything without trapping.
@Suite struct ProberFuzzTests {
  static let seeds: [String] = [
    #"{"choices":[{"message":{"role":"assistant","content":"ok"}}],"usage":{"prompt_tokens":1,"completion_tokens":2,"cost":0.1}}"#,
    "data: {\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\ndata: {\"usage\":{\"prompt_tokens\":1}}\n\ndata: [DONE]\n\n",
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":1}}}\n\nevent: content_block_delta\ndata: {\"delta\":{\"text\":\"ok\"}}\n\nevent: message_stop\ndata: {}\n\n",
    "{\"message\":{\"content\":\"o\"},\"done\":false}\n{\"done\":true,\"eval_count\":1}\n",
    #"{"error":{"message":"Rate limit","type":"insufficient_quota","code":429}}"#,
    #"{"content":[{"type":"text","text":"ok"}],"usage":{"input_tokens":1,"output_tokens":1}}"#,
    #"{"data":[{"id":"a"}],"models":[]}"#,
  ]

  static let tokens: [String] = [
    "{", "}", "[", "]", ",", ":", "\"", "\\u", "\\ud800", "data: ", "event: ", "\n\n", "\r\n",
    "null", "1e999", "-0", "[DONE]", "\u{0}", "é", "\u{FFFF}",
  ]

  @Test func randomAndMutatedBodiesNeverTrap() {
    var rng = SplitMix64(seed: 42)
    let providers = ProviderType.allCases.map { provider($0) }
    let checks = [chat(), chat(stream: true), modelsCheck]
    let contentTypes: [String?] = [
      "application/json", "text/event-stream", "application/x-ndjson", nil, "text/html",
    ]
    let statuses = [200, 200, 200, 201, 400, 401, 402, 429, 503, 529, 0]
    var classes = Set<ResultClass>()
    for i in 0..<3000 {
      var body: [UInt8]
      switch i % 3 {
      case 0:
        body = (0..<Int.random(in: 0..<200, using: &rng)).map { _ in
          UInt8.random(in: 0...255, using: &rng)
        }
      case 1:
        body = Array(Self.seeds.randomElement(using: &rng)!.utf8)
        for _ in 0..<Int.random(in: 1...6, using: &rng) where !body.isEmpty {
          let at = Int.random(in: 0..<body.count, using: &rng)
          switch Int.random(in: 0..<3, using: &rng) {
          case 0: body[at] = UInt8.random(in: 0...255, using: &rng)
          case 1: body.remove(at: at)
          default:
            body.insert(contentsOf: Array(Self.tokens.randomElement(using: &rng)!.utf8), at: at)
          }
        }
      default:
        body = Array(
          (0..<Int.random(in: 1...40, using: &rng)).map { _ in
            Self.tokens.randomElement(using: &rng)!
          }.joined().utf8)
      }
      var headers: [HTTPHeader] = []
      if let type = contentTypes.randomElement(using: &rng)! {
        headers.append(HTTPHeader(name: "content-type", value: type))
      }
      if Bool.random(using: &rng) {
        headers.append(
          HTTPHeader(name: "retry-after", value: String(decoding: body.prefix(12), as: UTF8.self)))
        headers.append(
          HTTPHeader(
            name: "x-ratelimit-reset-requests",
            value: String(decoding: body.suffix(8), as: UTF8.self)))
        headers.append(
          HTTPHeader(
            name: "anthropic-ratelimit-tokens-reset",
            value: String(decoding: body.prefix(25), as: UTF8.self)))
      }
      let arrivals = (0..<Int.random(in: 0..<4, using: &rng)).map { k in
        (offset: k * 7, seconds: Double(k) * 0.1)
      }
      let response = HTTPResponse(
        status: statuses.randomElement(using: &rng)!, headers: headers, body: body,
        bodyTruncated: i % 50 == 0, chunkArrivals: arrivals)
      let o = outcome(
        response, providers.randomElement(using: &rng)!, checks.randomElement(using: &rng)!)
      classes.insert(o.result)
      if let message = o.message { #expect(message.count <= 200) }
    }
    #expect(classes.count >= 6)
  }
}
