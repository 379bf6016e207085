import AtalayaCore
import AtalayaTestSupport
import Foundation
import Simulator

/// Runs a simulator on an ephemeral port for the duration of `body`, then stops it.
func withSimulator<T: Sendable>(
  _ providers: [SimulatedProvider], seed: UInt64 = 42,
  timeSource: any TimeSource = SystemTimeSource(),
  _ body: (ProviderSimulator, Int) async throws -> T
) async throws -> T {
  let simulator = ProviderSimulator(providers: providers, seed: seed, timeSource: timeSource)
  let task = Task { try await simulator.run() }
  do {
    let port = try await simulator.waitUntilListening()
    let result = try await body(simulator, port)
    task.cancel()
    _ = await task.result
    return result
  } catch {
    task.cancel()
    _ = await task.result
    throw error
  }
}

/// A minimal OpenAI chat request body.
func chatBody(
  stream: Bool = false, maxTokens: Int? = 8, includeUsage: Bool = false, model: String = "sim-model"
) -> String {
  var fields = [
    "\"model\":\"\(model)\"", "\"messages\":[{\"role\":\"user\",\"content\":\"Say ok\"}]",
    "\"stream\":\(stream)",
  ]
  if let maxTokens { fields.append("\"max_tokens\":\(maxTokens)") }
  if includeUsage { fields.append("\"stream_options\":{\"include_usage\":true}") }
  return "{" + fields.joined(separator: ",") + "}"
}

/// POSTs an OpenAI chat request to provider `name`.
func postChat(
  port: Int, name: String, body: String = chatBody(), key: String? = "k",
  timeout: Duration = .seconds(5)
) async throws -> TestHTTPClientResponse {
  var headers = [("Content-Type", "application/json")]
  if let key { headers.append(("Authorization", "Bearer \(key)")) }
  return try await TestHTTPClient.request(
    "POST", port: port, path: "/\(name)/v1/chat/completions", headers: headers, body: body,
    timeout: timeout)
}

/// The `data:` payloads of an SSE body, in order.
func sseData(_ text: String) -> [String] {
  text.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }.map {
    String($0.dropFirst(6))
  }
}

/// Parses a JSON object from text.
func jsonObject(_ text: String) -> [String: Any]? {
  (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}

extension Dictionary where Key == String, Value == Any {
  /// A nested object.
  func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
  /// A nested array of objects.
  func objects(_ key: String) -> [[String: Any]]? { self[key] as? [[String: Any]] }
}
