import AtalayaCore
import HTTPClient

/// The corpus: every documented response issue 10 names, and more of their kind.
extension ProviderFixture {
  static let all: [ProviderFixture] = [
    ProviderFixture(
      name: #"openrouter 200 with finish_reason error and an upstream 502"#,
      source:
        #"OpenRouter docs, api_reference/errors-and-debugging.mdx, 'Chat Completions': error embedded in the final response"#,
      provider: .openrouter,
      status: 200,
      headers: json(200, []),
      body:
        #"{"choices":[{"message":{"role":"assistant","content":"partial output..."},"finish_reason":"error","error":{"code":502,"message":"Provider disconnected mid-stream","metadata":{"error_type":"provider_unavailable"}}}]}"#,
      expected: .serverError,
      messageContains: #"Provider disconnected mid-stream"#),
    ProviderFixture(
      name: #"openrouter 200 with finish_reason error and an upstream 429"#,
      source:
        #"reconstructed: the errors-and-debugging.mdx embedded-error shape with the 429 of its mid-stream example"#,
      provider: .openrouter,
      status: 200,
      headers: json(200, []),
      body:
        #"{"choices":[{"message":{"role":"assistant","content":""},"finish_reason":"error","error":{"code":429,"message":"Rate limit exceeded","metadata":{"error_type":"rate_limit_exceeded"}}}]}"#,
      expected: .rateLimited),
    ProviderFixture(
      name: #"openrouter 200 with a top-level error object"#,
      source:
        #"OpenRouter docs, errors-and-debugging.mdx: the error envelope {error:{code,message,metadata}} (here in a committed 200)"#,
      provider: .openrouter,
      status: 200,
      headers: json(200, []),
      body:
        #"{"error":{"code":503,"message":"No available model provider","metadata":{"error_type":"provider_overloaded"}}}"#,
      expected: .overloaded),
    ProviderFixture(
      name: #"openrouter mid-stream error 429"#,
      source: #"OpenRouter docs, errors-and-debugging.mdx, 'Mid-stream errors'"#,
      provider: .openrouter,
      stream: true,
      status: 200,
      headers: sse,
      body:
        #"data: {"id":"gen-abc123","object":"chat.completion.chunk","created":1234567890,"model":"openai/gpt-4o","provider":"OpenAI","error":{"code":429,"message":"Rate limit exceeded","metadata":{"error_type":"rate_limit_exceeded"}},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}\#n\#n"#,
      expected: .rateLimited),
    ProviderFixture(
      name: #"openrouter mid-stream error server_error"#,
      source:
        #"OpenRouter docs, api_reference/streaming.mdx, 'Errors after the response is committed (mid-stream)'"#,
      provider: .openrouter,
      stream: true,
      status: 200,
      headers: sse,
      body:
        #"data: {"id":"cmpl-abc123","object":"chat.completion.chunk","created":1234567890,"model":"openai/gpt-4o","provider":"openai","error":{"code":"server_error","message":"Provider disconnected unexpectedly"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}\#n\#n"#,
      expected: .streamError,
      messageContains: #"Provider disconnected unexpectedly"#),
    ProviderFixture(
      name: #"openrouter 402 in-flight budget"#,
      source:
        #"OpenRouter docs, api_reference/limits.mdx, 'In-flight spending budget' (with Retry-After)"#,
      provider: .openrouter,
      status: 402,
      headers: json(402, [HTTPHeader(name: #"Retry-After"#, value: #"5"#)]),
      body:
        #"{"error":{"code":402,"message":"This request would exceed your available credits given your current in-flight requests. Retry after in-flight requests settle, or add credits.","metadata":{"reason":"in_flight_budget_exhausted","limit_source":"openrouter_in_flight_budget","remedy_hint":"Retry after your in-flight requests settle (see the Retry-After header)."}}}"#,
      expected: .rateLimited,
      resumeAt: fixtureNow + .seconds(5)),
    ProviderFixture(
      name: #"openrouter 402 weight exceeds budget"#,
      source:
        #"OpenRouter docs, limits.mdx: 402 with reason weight_exceeds_budget ('retrying will not help')"#,
      provider: .openrouter,
      status: 402,
      headers: json(402, []),
      body:
        #"{"error":{"code":402,"message":"This request exceeds your available credits.","metadata":{"reason":"weight_exceeds_budget","limit_source":"openrouter_credits"}}}"#,
      expected: .quotaExhausted),
    ProviderFixture(
      name: #"openrouter 402 insufficient credits"#,
      source:
        #"OpenRouter docs, errors-and-debugging.mdx: '402: Your account or API key has insufficient credits'"#,
      provider: .openrouter,
      status: 402,
      headers: json(402, []),
      body:
        #"{"error":{"code":402,"message":"Your account or API key has insufficient credits. Add more credits and retry the request."}}"#,
      expected: .quotaExhausted),
    ProviderFixture(
      name: #"openrouter 403 key limit exceeded"#,
      source:
        #"captured: MCPJam/inspector#1287; OpenRouter docs capping-shared-agent-keys.mdx ('403 Forbidden and a Key limit exceeded message')"#,
      provider: .openrouter,
      status: 403,
      headers: json(403, []),
      body:
        #"{"error":{"code":403,"message":"Key limit exceeded (total limit). Manage it using https://openrouter.ai/settings/keys"}}"#,
      expected: .quotaExhausted),
    ProviderFixture(
      name: #"openrouter 403 workspace budget exceeded"#,
      source: #"OpenRouter docs, guides/features/workspaces/workspace-budgets.mdx"#,
      provider: .openrouter,
      status: 403,
      headers: json(403, []),
      body:
        #"{"error":{"code":403,"message":"Workspace monthly budget of $500.00 exceeded. Contact your workspace admin."}}"#,
      expected: .quotaExhausted),
    ProviderFixture(
      name: #"openrouter 403 guardrail budget with limit_source"#,
      source:
        #"reconstructed: OpenRouter 403 budget errors carry metadata.limit_source (openrouter_guardrail_budget, …) and resets_at"#,
      provider: .openrouter,
      status: 403,
      headers: json(403, []),
      body:
        #"{"error":{"code":403,"message":"Guardrail budget exceeded.","metadata":{"limit_source":"openrouter_guardrail_budget","scope":"guardrail","limit_usd":50,"spend_usd":50.02,"resets_at":"2026-09-01T00:00:00.000Z"}}}"#,
      expected: .quotaExhausted,
      resumeAt: RFC3339.parse("2026-09-01T00:00:00.000Z")),
    ProviderFixture(
      name: #"openrouter 429 free models daily cap"#,
      source:
        #"captured: cline/cline#5301 and Gitlawb/openclaude#936; headers as OpenRouter limits.mdx says its own 429s carry"#,
      provider: .openrouter,
      status: 429,
      headers: json(
        429,
        [
          HTTPHeader(name: #"X-RateLimit-Limit"#, value: #"50"#),
          HTTPHeader(name: #"X-RateLimit-Remaining"#, value: #"0"#),
          HTTPHeader(name: #"X-RateLimit-Reset"#, value: #"1786838400000"#),
        ]),
      body:
        #"{"error":{"message":"Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day","code":429,"metadata":{"headers":{"X-RateLimit-Limit":"50","X-RateLimit-Remaining":"0","X-RateLimit-Reset":"1786838400000"},"provider_name":null}},"user_id":"user_x"}"#,
      expected: .quotaExhausted,
      resumeAt: fixtureNow + .seconds(86400),
      rateLimits: [
        RateLimitReading(
          resource: RateLimitResource(rawValue: "requests")!, remaining: 0, resetSeconds: 86400)
      ]),
    ProviderFixture(
      name: #"openrouter 429 rate limit with X-RateLimit headers"#,
      source:
        #"OpenRouter docs, limits.mdx: generic 429 body; X-RateLimit-Reset as epoch milliseconds (observed)"#,
      provider: .openrouter,
      status: 429,
      headers: json(
        429,
        [
          HTTPHeader(name: #"X-RateLimit-Limit"#, value: #"20"#),
          HTTPHeader(name: #"X-RateLimit-Remaining"#, value: #"0"#),
          HTTPHeader(name: #"X-RateLimit-Reset"#, value: #"1786752030000"#),
        ]),
      body:
        #"{"error":{"code":429,"message":"Rate limit exceeded","metadata":{"error_type":"rate_limit_exceeded"}}}"#,
      expected: .rateLimited,
      resumeAt: fixtureNow + .seconds(30),
      rateLimits: [
        RateLimitReading(
          resource: RateLimitResource(rawValue: "requests")!, remaining: 0, resetSeconds: 30)
      ]),
    ProviderFixture(
      name: #"openrouter 503 provider overloaded"#,
      source:
        #"OpenRouter docs, errors-and-debugging.mdx typed error table: provider_overloaded = 503 (body reconstructed from the envelope)"#,
      provider: .openrouter,
      status: 503,
      headers: json(503, []),
      body:
        #"{"error":{"code":503,"message":"The upstream provider is temporarily overloaded.","metadata":{"error_type":"provider_overloaded"}}}"#,
      expected: .overloaded),
    ProviderFixture(
      name: #"openrouter 404 no endpoints found"#,
      source: #"captured: chatboxai/chatbox#2743, Alishahryar1/free-claude-code#166"#,
      provider: .openrouter,
      model: #"deepseek/deepseek-chat-v3.1:free"#,
      status: 404,
      headers: json(404, []),
      body:
        #"{"error":{"message":"No endpoints found for deepseek/deepseek-chat-v3.1:free.","code":404},"user_id":"user_x"}"#,
      expected: .modelUnavailable),
    ProviderFixture(
      name: #"openrouter BYOK usage adds the upstream cost"#,
      source:
        #"OpenRouter docs, use-cases/usage-accounting: cost_details.upstream_inference_cost ('The actual cost charged by the upstream AI provider')"#,
      provider: .openrouter,
      status: 200,
      headers: json(200, []),
      body:
        #"{"choices":[{"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"completion_tokens":2,"completion_tokens_details":{"reasoning_tokens":0},"cost":0.95,"is_byok":true,"cost_details":{"upstream_inference_cost":19},"prompt_tokens":194,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"total_tokens":196}}"#,
      expected: .success,
      usage: TokenUsage(inputTokens: 194, outputTokens: 2, costUSD: 19.95)),
    ProviderFixture(
      name: #"openrouter non-BYOK usage is not counted twice"#,
      source:
        #"captured: a non-BYOK usage object with is_byok false and upstream_inference_cost equal to cost"#,
      provider: .openrouter,
      status: 200,
      headers: json(200, []),
      body:
        #"{"choices":[{"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":1,"cost":0.0033789,"is_byok":false,"cost_details":{"upstream_inference_cost":0.0033789,"upstream_inference_prompt_cost":0.0031281,"upstream_inference_completions_cost":0.0002508}}}"#,
      expected: .success,
      usage: TokenUsage(inputTokens: 12, outputTokens: 1, costUSD: 0.0033789)),
    ProviderFixture(
      name: #"anthropic 429 enforced spend limit"#,
      source:
        #"Anthropic docs, api/rate-limits: the tier spend cap (rate_limit_error with details.error_code enforced_spend_limit_reached, no retry-after)"#,
      provider: .anthropic,
      status: 429,
      headers: json(429, []),
      body:
        #"{"type":"error","error":{"type":"rate_limit_error","message":"You have reached your API usage limits: your organization has crossed its monthly API usage threshold, set based on your organization's API tier. You will regain access on 2026-09-01 at 00:00 UTC.","details":{"error_code":"enforced_spend_limit_reached"}},"request_id":"req_018EeWyXxfu5pfWkrYcMdjWG"}"#,
      expected: .quotaExhausted,
      resumeAt: RFC3339.parse(#"2026-09-01T00:00:00Z"#)),
    ProviderFixture(
      name: #"anthropic 400 credit balance too low"#,
      source: #"captured: anthropics/claude-code#66314"#,
      provider: .anthropic,
      status: 400,
      headers: json(400, []),
      body:
        #"{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."},"request_id":"req_011CbrFTcXhtiMzr3s6EocF7"}"#,
      expected: .quotaExhausted),
    ProviderFixture(
      name: #"anthropic 400 specified API usage limits"#,
      source:
        #"captured: continuedev/continue#11305; Anthropic docs: 'The API also returns a 400 when usage reaches an organization or workspace spend limit you set'"#,
      provider: .anthropic,
      status: 400,
      headers: json(400, []),
      body:
        #"{"type":"error","error":{"type":"invalid_request_error","message":"You have reached your specified API usage limits. You will regain access on 2026-09-01 at 00:00 UTC."},"request_id":"req_011CYwZjVSiJTexyaHTWcaqh"}"#,
      expected: .quotaExhausted,
      resumeAt: RFC3339.parse(#"2026-09-01T00:00:00Z"#)),
    ProviderFixture(
      name: #"anthropic 400 workspace API usage limits"#,
      source: #"captured: anthropics/claude-code#1047"#,
      provider: .anthropic,
      status: 400,
      headers: json(400, []),
      body:
        #"{"type":"error","error":{"type":"invalid_request_error","message":"You have reached your specified workspace API usage limits. You will regain access on 2026-09-01 at 12:30 UTC."}}"#,
      expected: .quotaExhausted,
      resumeAt: RFC3339.parse(#"2026-09-01T12:30:00Z"#)),
    ProviderFixture(
      name: #"anthropic 404 model not found"#,
      source:
        #"captured: anthropics/claude-code#5349; Anthropic docs, api/errors: not_found_error"#,
      provider: .anthropic,
      model: #"claude-3-opus-20240229"#,
      status: 404,
      headers: json(404, []),
      body:
        #"{"type":"error","error":{"type":"not_found_error","message":"model: claude-3-opus-20240229"},"request_id":"req_x"}"#,
      expected: .modelUnavailable),
    ProviderFixture(
      name: #"anthropic 529 overloaded"#,
      source:
        #"captured: apify/tester-mcp-client#16; Anthropic docs, api/errors: 529 overloaded_error"#,
      provider: .anthropic,
      status: 529,
      headers: json(529, []),
      body: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
      expected: .overloaded),
    ProviderFixture(
      name: #"anthropic in-stream overloaded_error event"#,
      source:
        #"Anthropic docs, build-with-claude/streaming, 'Error events' (an error event after HTTP 200)"#,
      provider: .anthropic,
      stream: true,
      status: 200,
      headers: sse,
      body:
        #"event: message_start\#ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","usage":{"input_tokens":12,"output_tokens":1}}}\#n\#nevent: error\#ndata: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}\#n\#n"#,
      expected: .overloaded,
      messageContains: #"Overloaded"#),
    ProviderFixture(
      name: #"anthropic 429 rate limit with retry-after"#,
      source: #"Anthropic docs, api/rate-limits: rate_limit_error with a retry-after header"#,
      provider: .anthropic,
      status: 429,
      headers: json(
        429,
        [
          HTTPHeader(name: #"retry-after"#, value: #"20"#),
          HTTPHeader(name: #"anthropic-ratelimit-requests-limit"#, value: #"50"#),
          HTTPHeader(name: #"anthropic-ratelimit-requests-remaining"#, value: #"0"#),
          HTTPHeader(name: #"anthropic-ratelimit-requests-reset"#, value: #"2026-08-15T00:00:20Z"#),
        ]),
      body:
        #"{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}"#,
      expected: .rateLimited,
      resumeAt: fixtureNow + .seconds(20),
      rateLimits: [
        RateLimitReading(
          resource: RateLimitResource(rawValue: "requests")!, remaining: 0, resetSeconds: 20)
      ]),
    ProviderFixture(
      name: #"openai 404 model_not_found"#,
      source: #"captured: openai/openai-agents-python#458"#,
      provider: .openai,
      model: #"computer-use-preview-2025-03-11"#,
      status: 404,
      headers: json(404, []),
      body:
        #"{"error":{"message":"The model `computer-use-preview-2025-03-11` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}"#,
      expected: .modelUnavailable),
    ProviderFixture(
      name: #"openai 429 insufficient_quota"#,
      source: #"captured: ChatGPTNextWeb/NextChat#3664; OpenAI docs, guides/error-codes"#,
      provider: .openai,
      status: 429,
      headers: json(429, []),
      body:
        #"{"error":{"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#,
      expected: .quotaExhausted),
    ProviderFixture(
      name: #"openai 429 rate limit with x-ratelimit headers"#,
      source: #"OpenAI docs, guides/rate-limits: x-ratelimit-* headers with Go-duration resets"#,
      provider: .openai,
      status: 429,
      headers: json(
        429,
        [
          HTTPHeader(name: #"x-ratelimit-limit-requests"#, value: #"500"#),
          HTTPHeader(name: #"x-ratelimit-remaining-requests"#, value: #"0"#),
          HTTPHeader(name: #"x-ratelimit-reset-requests"#, value: #"6m0s"#),
          HTTPHeader(name: #"x-ratelimit-limit-tokens"#, value: #"160000"#),
          HTTPHeader(name: #"x-ratelimit-remaining-tokens"#, value: #"159976"#),
          HTTPHeader(name: #"x-ratelimit-reset-tokens"#, value: #"9ms"#),
        ]),
      body:
        #"{"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-x on requests per min (RPM): Limit 500, Used 500, Requested 1.","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#,
      expected: .rateLimited,
      resumeAt: fixtureNow + .seconds(360),
      rateLimits: [
        RateLimitReading(
          resource: RateLimitResource(rawValue: "requests")!, remaining: 0, resetSeconds: 360)
      ]),
    ProviderFixture(
      name: #"openai reasoning model empty content with finish_reason length"#,
      source:
        #"captured: covan-ai/covan#112 (gpt-5 family: 'the reply came back empty with finish_reason length — a successful HTTP 200'); body reconstructed"#,
      provider: .openai,
      model: #"gpt-5-mini"#,
      status: 200,
      headers: json(200, []),
      body:
        #"{"choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"length"}],"usage":{"prompt_tokens":12,"completion_tokens":64,"completion_tokens_details":{"reasoning_tokens":64}}}"#,
      expected: .success,
      usage: TokenUsage(inputTokens: 12, outputTokens: 64, costUSD: nil)),
    ProviderFixture(
      name: #"openai 400 unsupported_parameter"#,
      source: #"captured: nalgeon/pokitoki#48 (unsupported_parameter on a reasoning model)"#,
      provider: .openai,
      status: 400,
      headers: json(400, []),
      body:
        #"{"error":{"message":"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.","type":"invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}}"#,
      expected: .clientError),
    ProviderFixture(
      name: #"groq 498 flex capacity exceeded"#,
      source:
        #"Groq docs, flex-processing: 'requests will fail quickly with status 498 and error capacity_exceeded' (body reconstructed from its error envelope)"#,
      provider: .openai,
      status: 498,
      headers: json(498, []),
      body:
        #"{"error":{"message":"Flex tier capacity exceeded. This model is currently at capacity. Please try again later.","type":"capacity_exceeded","code":"capacity_exceeded"}}"#,
      expected: .overloaded),
    ProviderFixture(
      name: #"groq stream with usage in x_groq"#,
      source:
        #"vercel/ai packages/groq/src/groq-chat-language-model.test.ts (the final chunk carries x_groq.usage)"#,
      provider: .openai,
      stream: true,
      status: 200,
      headers: sse,
      body:
        #"data: {"id":"chatcmpl-e7f8","object":"chat.completion.chunk","created":1729171479,"model":"gemma2-9b-it","choices":[{"index":0,"delta":{"role":"assistant","content":"ok"},"logprobs":null,"finish_reason":null}]}\#n\#ndata: {"id":"chatcmpl-e7f8","object":"chat.completion.chunk","created":1729171479,"model":"gemma2-9b-it","system_fingerprint":"fp_10c08bf97d","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"x_groq":{"id":"req_01jadadp0femyae9kav1gpkhe8","usage":{"queue_time":0.061348671,"prompt_tokens":18,"prompt_time":0.000211569,"completion_tokens":439,"completion_time":0.798181818,"total_tokens":457,"total_time":0.798393387}}}\#n\#ndata: [DONE]\#n\#n"#,
      expected: .success,
      usage: TokenUsage(inputTokens: 18, outputTokens: 439, costUSD: nil)),
    ProviderFixture(
      name: #"ollama 503 server busy"#,
      source:
        #"ollama/ollama server/sched.go ErrMaxQueue and server/routes.go handleScheduleError (503)"#,
      provider: .ollama,
      status: 503,
      headers: json(503, []),
      body: #"{"error":"server busy, please try again.  maximum pending requests exceeded"}"#,
      expected: .overloaded),
    ProviderFixture(
      name: #"ollama 404 model not found"#,
      source: #"ollama/ollama server/routes.go ChatHandler: model '%s' not found"#,
      provider: .ollama,
      model: #"llama9"#,
      status: 404,
      headers: json(404, []),
      body: #"{"error":"model 'llama9' not found"}"#,
      expected: .modelUnavailable),
    ProviderFixture(
      name: #"ollama 404 model not found, try pulling it first"#,
      source: #"ollama/ollama server/routes.go: model %q not found, try pulling it first"#,
      provider: .ollama,
      model: #"llama9"#,
      status: 404,
      headers: json(404, []),
      body: #"{"error":"model \"llama9\" not found, try pulling it first"}"#,
      expected: .modelUnavailable),
    ProviderFixture(
      name: #"cerebras per-period rate-limit headers"#,
      source: #"Cerebras docs, support/rate-limits (header names and values)"#,
      provider: .openai,
      status: 200,
      headers: json(
        200,
        [
          HTTPHeader(name: #"x-ratelimit-limit-requests-day"#, value: #"1000000000"#),
          HTTPHeader(name: #"x-ratelimit-limit-tokens-minute"#, value: #"1000000000"#),
          HTTPHeader(name: #"x-ratelimit-remaining-requests-day"#, value: #"999997455"#),
          HTTPHeader(name: #"x-ratelimit-remaining-tokens-minute"#, value: #"999998298"#),
          HTTPHeader(name: #"x-ratelimit-reset-requests-day"#, value: #"33011.382867097855"#),
          HTTPHeader(name: #"x-ratelimit-reset-tokens-minute"#, value: #"11.382867097854614"#),
        ]),
      body:
        #"{"choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":1}}"#,
      expected: .success,
      usage: TokenUsage(inputTokens: 12, outputTokens: 1, costUSD: nil),
      rateLimits: [
        RateLimitReading(
          resource: RateLimitResource(rawValue: "requests_day")!, remaining: 999_997_455,
          resetSeconds: 33011.382867097855),
        RateLimitReading(
          resource: RateLimitResource(rawValue: "tokens_minute")!, remaining: 999_998_298,
          resetSeconds: 11.382867097854614),
      ]),
    ProviderFixture(
      name: #"vllm stream error frame"#,
      source:
        #"vllm-project/vllm entrypoints/openai/serving_engine.py create_streaming_error_response ({"error": ErrorResponse})"#,
      provider: .openai,
      stream: true,
      status: 200,
      headers: sse,
      body:
        #"data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\#n\#ndata: {"error": {"object": "error", "message": "The engine is dead.", "type": "InternalServerError", "param": null, "code": 500}}\#n\#n"#,
      expected: .streamError,
      messageContains: #"The engine is dead."#),
    ProviderFixture(
      name: #"flat object error frame before [DONE]"#,
      source:
        #"Mistral's API error envelope {object: error, message, …} (captured: continuedev/continue#6185) sent as a stream frame, then [DONE]"#,
      provider: .openai,
      stream: true,
      status: 200,
      headers: sse,
      body:
        #"data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"o"}}]}\#n\#ndata: {"object":"error","message":"Service unavailable"}\#n\#ndata: [DONE]\#n\#n"#,
      expected: .streamError,
      messageContains: #"Service unavailable"#),
    ProviderFixture(
      name: #"mistral 429 flat error"#,
      source: #"captured: raycast/extensions#31107 (Mistral rate limit body)"#,
      provider: .openai,
      status: 429,
      headers: json(429, []),
      body:
        #"{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300","raw_status_code":429}"#,
      expected: .rateLimited),
    ProviderFixture(
      name: #"llama.cpp stream error frame"#,
      source:
        #"captured: llama.cpp server error body {error:{code,message,type}} (as a stream frame)"#,
      provider: .openai,
      stream: true,
      status: 200,
      headers: sse,
      body:
        #"data: {"error":{"code":400,"message":"request (4476 tokens) exceeds the available context size (4096 tokens)","type":"exceed_context_size_error","n_prompt_tokens":4476,"n_ctx":4096}}\#n\#n"#,
      expected: .streamError),
    ProviderFixture(
      name: #"stream with CR line ends"#,
      source: #"WHATWG HTML, server-sent events: end-of-line = ( cr lf / cr / lf )"#,
      provider: .openai,
      stream: true,
      status: 200,
      headers: sse,
      body:
        #"data: {"choices":[{"index":0,"delta":{"content":"ok"}}]}\#r\#rdata: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":1}}\#r\#rdata: [DONE]\#r\#r"#,
      expected: .success,
      usage: TokenUsage(inputTokens: 9, outputTokens: 1, costUSD: nil)),
    ProviderFixture(
      name: #"stream with CRLF line ends"#,
      source: #"WHATWG HTML, server-sent events: end-of-line = ( cr lf / cr / lf )"#,
      provider: .anthropic,
      stream: true,
      status: 200,
      headers: sse,
      body:
        #"event: message_start\#r\#ndata: {"type":"message_start","message":{"usage":{"input_tokens":9,"output_tokens":1}}}\#r\#n\#r\#nevent: content_block_delta\#r\#ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok"}}\#r\#n\#r\#nevent: message_stop\#r\#ndata: {"type":"message_stop"}\#r\#n\#r\#n"#,
      expected: .success,
      usage: TokenUsage(inputTokens: 9, outputTokens: 1, costUSD: nil)),
  ]
}
