import AtalayaCore
import HTTPClient
import Probing
import Testing

/// Classification of canned responses, one or more cases per result class.
@Suite struct ClassificationTests {
  let openai = provider(.openai)
  let anthropic = provider(.anthropic)
  let ollama = provider(.ollama, key: nil)
  let openrouter = provider(.openrouter)

  // MARK: success

  @Test func openAIJSONSuccessWithUsage() {
    let body =
      #"{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13}}"#
    let o = outcome(cannedResponse(status: 200, body: body), openai, chat())
    #expect(o.result == .success)
    #expect(o.message == nil)
    #expect(o.httpStatus == 200)
    #expect(o.usage == TokenUsage(inputTokens: 12, outputTokens: 1))
    #expect(o.ttft == nil)
    #expect(o.latency == 0.1)
    #expect(o.check == CheckID(provider: "p", model: "m"))
  }

  @Test func reasoningModelWithNullContentStillSucceeds() {
    let body =
      #"{"choices":[{"message":{"role":"assistant","content":null},"finish_reason":"length"}]}"#
    #expect(
      outcome(cannedResponse(status: 200, body: body), openai, chat("o3-mini")).result == .success)
  }

  @Test func openRouterCostIsRead() {
    let body =
      #"{"choices":[{"message":{"content":"ok"}}],"usage":{"prompt_tokens":5,"completion_tokens":2,"cost":0.00012}}"#
    let o = outcome(cannedResponse(status: 200, body: body), openrouter, chat())
    #expect(o.usage == TokenUsage(inputTokens: 5, outputTokens: 2, costUSD: 0.00012))
  }

  @Test func anthropicJSONSuccessWithUsage() {
    let body =
      #"{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"ok"}],"usage":{"input_tokens":14,"output_tokens":4}}"#
    let o = outcome(cannedResponse(status: 200, body: body), anthropic, chat())
    #expect(o.result == .success)
    #expect(o.usage == TokenUsage(inputTokens: 14, outputTokens: 4))
  }

  @Test func ollamaJSONSuccessWithUsage() {
    let body =
      #"{"model":"llama3","message":{"role":"assistant","content":"ok"},"done":true,"prompt_eval_count":26,"eval_count":2}"#
    let o = outcome(cannedResponse(status: 200, body: body), ollama, chat())
    #expect(o.result == .success)
    #expect(o.usage == TokenUsage(inputTokens: 26, outputTokens: 2))
  }

  @Test func openAIStreamSuccessWithUsageAndTTFT() {
    let first = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
    let second = "data: {\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\n"
    let rest =
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1}}\n\ndata: [DONE]\n\n"
    var response = cannedResponse(
      status: 200, contentType: "text/event-stream", body: first + second + rest)
    response.chunkArrivals = [
      (0, 0.05), (first.utf8.count, 0.4), (first.utf8.count + second.utf8.count, 0.45),
    ]
    let o = outcome(response, openai, chat(stream: true))
    #expect(o.result == .success)
    #expect(o.ttft == 0.4)
    #expect(o.usage == TokenUsage(inputTokens: 9, outputTokens: 1))
  }

  @Test func anthropicStreamSuccessWithUsage() {
    let body = """
      event: message_start
      data: {"type":"message_start","message":{"id":"m","usage":{"input_tokens":15,"output_tokens":1}}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

      event: ping
      data: {"type": "ping"}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok"}}

      event: message_delta
      data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}

      event: message_stop
      data: {"type":"message_stop"}


      """
    var response = cannedResponse(
      status: 200, contentType: "text/event-stream; charset=utf-8", body: body)
    let deltaOffset =
      body.utf8.count - body.split(separator: "event: content_block_delta")[1].utf8.count
    response.chunkArrivals = [(0, 0.01), (deltaOffset, 0.3)]
    let o = outcome(response, anthropic, chat(stream: true))
    #expect(o.result == .success)
    #expect(o.usage == TokenUsage(inputTokens: 15, outputTokens: 3))
    #expect(o.ttft == 0.3)
  }

  @Test func ollamaNDJSONStreamSuccess() {
    let body = """
      {"model":"m","message":{"role":"assistant","content":"o"},"done":false}
      {"model":"m","message":{"role":"assistant","content":"k"},"done":false}
      {"model":"m","message":{"role":"assistant","content":""},"done":true,"prompt_eval_count":7,"eval_count":2}

      """
    var response = cannedResponse(status: 200, contentType: "application/x-ndjson", body: body)
    response.chunkArrivals = [(0, 0.2)]
    let o = outcome(response, ollama, chat(stream: true))
    #expect(o.result == .success)
    #expect(o.usage == TokenUsage(inputTokens: 7, outputTokens: 2))
    #expect(o.ttft == 0.2)
  }

  @Test func streamCheckAnsweredWithPlainJSONIsAccepted() {
    let body = #"{"choices":[{"message":{"content":"ok"}}]}"#
    #expect(
      outcome(cannedResponse(status: 200, body: body), openai, chat(stream: true)).result
        == .success)
  }

  @Test func streamWithDoneButNoContentSucceeds() {
    let body =
      "data: {\"choices\":[{\"delta\":{\"content\":\"\"},\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n"
    let o = outcome(
      cannedResponse(status: 200, contentType: "text/event-stream", body: body), openai,
      chat(stream: true))
    #expect(o.result == .success)
    #expect(o.ttft == nil)
  }

  @Test func modelListsSucceed() {
    #expect(
      outcome(
        cannedResponse(status: 200, body: #"{"object":"list","data":[{"id":"gpt-4o"}]}"#), openai,
        modelsCheck
      ).result == .success)
    #expect(
      outcome(
        cannedResponse(status: 200, body: #"{"data":[],"has_more":false}"#), anthropic, modelsCheck
      ).result == .success)
    #expect(
      outcome(
        cannedResponse(status: 200, body: #"{"models":[{"name":"llama3"}]}"#), ollama, modelsCheck
      ).result == .success)
    #expect(
      outcome(cannedResponse(status: 200, body: #"{"models":[]}"#), openai, modelsCheck).result
        == .badResponse)
    #expect(
      outcome(cannedResponse(status: 200, body: "<html>"), ollama, modelsCheck).result
        == .badResponse)
  }

  // MARK: transport failures

  @Test(arguments: [
    (TransportError.Kind.timeout, ResultClass.timeout), (.dns, .dns), (.connect, .connect),
    (.tls, .tls), (.bodyTooLarge, .badResponse),
  ])
  func transportErrorKinds(_ kind: TransportError.Kind, _ expected: ResultClass) {
    let response = HTTPResponse(error: TransportError(kind: kind, code: 1, message: "curl said no"))
    let o = outcome(response, openai, chat())
    #expect(o.result == expected)
    #expect(o.httpStatus == nil)
    #expect(o.message?.isEmpty == false)
  }

  /// Defect: a probe the agent cancelled (shutdown, reload) was recorded as `timeout`.
  @Test func aCancelledTransferIsNoOutcome() {
    let response = HTTPResponse(
      error: TransportError(kind: .cancelled, code: 0, message: "transfer cancelled"))
    #expect(
      Prober.outcome(
        of: response, provider: openai, check: chat(), startedAt: Timestamp(seconds: 0),
        receivedAt: Timestamp(seconds: 1)) == nil)
  }

  @Test func otherTransportErrorsDependOnHowFarTheExchangeGot() {
    let err = TransportError(kind: .other, code: 52, message: "Empty reply from server")
    #expect(outcome(HTTPResponse(error: err), openai, chat()).result == .connect)
    #expect(
      outcome(HTTPResponse(timings: PhaseTimings(connect: 0.001), error: err), openai, chat())
        .result == .serverError)
    let partial = TransportError(kind: .other, code: 18, message: "transfer closed")
    #expect(
      outcome(HTTPResponse(status: 200, error: partial), openai, chat(stream: true)).result
        == .streamError)
    #expect(
      outcome(HTTPResponse(status: 200, error: partial), openai, chat()).result == .serverError)
    #expect(
      outcome(HTTPResponse(status: 429, error: partial), openai, chat()).result == .rateLimited)
  }

  @Test func truncatedBodyIsBadResponse() {
    var response = cannedResponse(status: 200, body: #"{"choices":[{"message":{"content":"#)
    response.bodyTruncated = true
    response.error = TransportError(
      kind: .bodyTooLarge, code: 23, message: "response body exceeded 1048576 bytes")
    #expect(outcome(response, openai, chat()).result == .badResponse)
    response.error = nil
    #expect(outcome(response, openai, chat()).result == .badResponse)
  }

  // MARK: HTTP failures

  @Test(arguments: [
    (401, ResultClass.auth), (403, .auth), (402, .quotaExhausted), (408, .timeout),
    (429, .rateLimited),
    (529, .overloaded), (503, .serverError), (400, .clientError), (404, .clientError),
    (422, .clientError),
    (500, .serverError), (502, .serverError), (504, .serverError), (302, .badResponse),
    (101, .badResponse),
  ])
  func statusClasses(_ status: Int, _ expected: ResultClass) {
    #expect(outcome(cannedResponse(status: status, body: ""), openai, chat()).result == expected)
    #expect(
      outcome(cannedResponse(status: status, body: ""), anthropic, modelsCheck).result == expected)
  }

  @Test func openAIInsufficientQuotaIsQuotaExhausted() {
    let body =
      #"{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#
    let o = outcome(cannedResponse(status: 429, body: body), openai, chat())
    #expect(o.result == .quotaExhausted)
    #expect(
      o.message
        == "HTTP 429: You exceeded your current quota, please check your plan and billing details.")
  }

  @Test func plainRateLimitMessageAndRetryAfter() {
    let body =
      #"{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}"#
    let o = outcome(
      cannedResponse(
        status: 429, headers: [HTTPHeader(name: "retry-after", value: "7")], body: body), openai,
      chat())
    #expect(o.result == .rateLimited)
    #expect(o.message == "HTTP 429: Rate limit reached for requests")
    #expect(o.retryAfter == 7)
    #expect(o.httpStatus == 429)
  }

  @Test func anthropicOverloaded() {
    let body = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
    #expect(
      outcome(cannedResponse(status: 529, body: body), anthropic, chat()).result == .overloaded)
    let o = outcome(cannedResponse(status: 503, body: body), anthropic, chat())
    #expect(o.result == .overloaded)
    #expect(o.message == "HTTP 503: Overloaded")
  }

  @Test func openRouterPaymentRequired() {
    let body = #"{"error":{"code":402,"message":"Insufficient credits"}}"#
    let o = outcome(cannedResponse(status: 402, body: body), openrouter, chat())
    #expect(o.result == .quotaExhausted)
    #expect(o.message == "HTTP 402: Insufficient credits")
  }

  @Test func ollamaStringErrorAndPlainTextBodies() {
    let o = outcome(
      cannedResponse(status: 404, body: #"{"error":"model 'x' not found"}"#), ollama, chat())
    #expect(o.result == .modelUnavailable)
    #expect(o.message == "HTTP 404: model 'x' not found")
    let text = outcome(
      cannedResponse(status: 502, contentType: "text/plain", body: "Bad gateway\n"), openai, chat())
    #expect(text.message == "HTTP 502: Bad gateway")
    let html = outcome(
      cannedResponse(
        status: 502, contentType: "text/html", body: "<html><body>nginx</body></html>"), openai,
      chat())
    #expect(html.message == "HTTP 502")
  }

  // MARK: bad_response

  @Test(arguments: [
    "", "not json", "<html></html>", "[]", #"{"choices":[]}"#, #"{"choices":[{"text":"ok"}]}"#,
    #"{"object":"chat.completion"}"#,
    #"{"error":{"message":"upstream failed"}}"#,
  ])
  func openAIBadBodies(_ body: String) {
    #expect(outcome(cannedResponse(status: 200, body: body), openai, chat()).result == .badResponse)
  }

  @Test func anthropicAndOllamaBadBodies() {
    #expect(
      outcome(cannedResponse(status: 200, body: #"{"type":"message"}"#), anthropic, chat()).result
        == .badResponse)
    #expect(
      outcome(cannedResponse(status: 200, body: #"{"done":true}"#), ollama, chat()).result
        == .badResponse)
    #expect(
      outcome(cannedResponse(status: 200, body: #"{"error":"boom"}"#), ollama, chat()).result
        == .badResponse)
  }

  // MARK: stream_error

  @Test func openRouterErrorInsideA200Stream() {
    let body = """
      : OPENROUTER PROCESSING

      data: {"id":"g","choices":[{"delta":{"content":"o"}}]}

      data: {"id":"g","error":{"code":502,"message":"Provider returned error"},"choices":[{"delta":{"content":""},"finish_reason":"error"}]}


      """
    let o = outcome(
      cannedResponse(status: 200, contentType: "text/event-stream", body: body), openrouter,
      chat(stream: true))
    #expect(o.result == .streamError)
    #expect(o.message == "HTTP 200: error in stream: Provider returned error")
    #expect(o.ttft == nil)
  }

  @Test func finishReasonErrorIsStreamError() {
    let body = "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"error\"}]}\n\n"
    #expect(
      outcome(
        cannedResponse(status: 200, contentType: "text/event-stream", body: body), openai,
        chat(stream: true)
      ).result == .streamError)
  }

  @Test func anthropicErrorEvent() {
    let body = """
      event: message_start
      data: {"type":"message_start","message":{"usage":{"input_tokens":3}}}

      event: error
      data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}


      """
    let o = outcome(
      cannedResponse(status: 200, contentType: "text/event-stream", body: body), anthropic,
      chat(stream: true))
    // The cause outranks the transport: an overloaded_error event is `overloaded`.
    #expect(o.result == .overloaded)
    #expect(o.message == "HTTP 200: error in stream: Overloaded")
  }

  @Test(arguments: [
    "", "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n", ": only a comment\n\n",
    "data: not json\n\ndata: [DONE]\n\n",
  ])
  func openAIStreamsThatEndBadly(_ body: String) {
    let o = outcome(
      cannedResponse(status: 200, contentType: "text/event-stream", body: body), openai,
      chat(stream: true))
    #expect(o.result == .streamError)
  }

  @Test func anthropicStreamWithoutContentOrStop() {
    let body = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{}}\n\n"
    #expect(
      outcome(
        cannedResponse(status: 200, contentType: "text/event-stream", body: body), anthropic,
        chat(stream: true)
      ).result == .streamError)
  }

  @Test func ollamaStreamErrors() {
    let error = "{\"message\":{\"content\":\"o\"},\"done\":false}\n{\"error\":\"out of memory\"}\n"
    let o = outcome(
      cannedResponse(status: 200, contentType: "application/x-ndjson", body: error), ollama,
      chat(stream: true))
    #expect(o.result == .streamError)
    #expect(o.message == "HTTP 200: error in stream: out of memory")
    let unfinished = "{\"message\":{\"content\":\"\"},\"done\":false}\n"
    #expect(
      outcome(
        cannedResponse(status: 200, contentType: "application/x-ndjson", body: unfinished), ollama,
        chat(stream: true)
      ).result == .streamError)
    let garbage = "{\"message\":{\"content\":\"o\"},\"done\":false}\n{oops\n"
    #expect(
      outcome(
        cannedResponse(status: 200, contentType: "application/x-ndjson", body: garbage), ollama,
        chat(stream: true)
      ).result == .streamError)
  }

  // MARK: messages

  @Test func messagesAreRedactedOfKeyAndHeaderValues() {
    let key = "sk-live-SECRETSECRETSECRET"
    let p = provider(
      .openai, key: key, headers: [HeaderField(name: "X-Org", value: Secret("org-HIDDENVALUE"))])
    let body =
      #"{"error":{"message":"Incorrect API key provided: sk-live-SECRETSECRETSECRET for org-HIDDENVALUE"}}"#
    let o = outcome(cannedResponse(status: 401, body: body), p, chat())
    #expect(o.result == .auth)
    #expect(o.message == "HTTP 401: Incorrect API key provided: [redacted] for [redacted]")
  }

  @Test func longMessagesAreTruncatedAndOneLine() throws {
    let long = String(repeating: "word ", count: 100)
    let body = #"{"error":{"message":"line one\nline two "# + long + #""}}"#
    let message = try #require(
      outcome(cannedResponse(status: 500, body: body), openai, chat()).message)
    #expect(message.count == 200)
    #expect(message.hasPrefix("HTTP 500: line one line two word"))
    #expect(message.hasSuffix("…"))
    #expect(!message.contains("\n"))
  }

  @Test func secretCutByTruncationIsStillRemoved() throws {
    let key = "sk-" + String(repeating: "K", count: 40)
    let body = #"{"error":{"message":""# + String(repeating: "x", count: 180) + key + #""}}"#
    let message = try #require(
      outcome(cannedResponse(status: 500, body: body), provider(.openai, key: key), chat()).message)
    #expect(!message.contains("KKKK"))
  }

  @Test func transportMessagesAreRedactedToo() {
    let key = "sk-live-SECRETSECRETSECRET"
    let response = HTTPResponse(
      error: TransportError(
        kind: .dns, code: 6, message: "Could not resolve host: sk-live-SECRETSECRETSECRET"))
    let o = outcome(response, provider(.openai, key: key), chat())
    #expect(o.message == "dns: Could not resolve host: [redacted]")
  }
}
