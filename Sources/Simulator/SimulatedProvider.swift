import AtalayaCore

/// One simulated provider: its URL prefix (`name`), the API dialect it speaks,
/// how it behaves, and the API key it insists on (if any).
///
/// `.openai` and `.openrouter` both speak the OpenAI chat-completions dialect.
/// Ollama never checks keys.
public struct SimulatedProvider: Sendable {
  /// The first path component of every URL of this provider (`/<name>/...`).
  public var name: String
  public var type: ProviderType
  public var behavior: Behavior
  /// When set, requests without `Authorization: Bearer <key>` (or `x-api-key: <key>`)
  /// get 401 with an error JSON body.
  public var apiKey: String?

  public init(
    name: String, type: ProviderType = .openai, behavior: Behavior = .healthy(),
    apiKey: String? = nil
  ) {
    self.name = name
    self.type = type
    self.behavior = behavior
    self.apiKey = apiKey
  }
}
