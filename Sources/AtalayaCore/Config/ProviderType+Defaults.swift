extension ProviderType {
  /// The base URL used when a provider of this type sets none.
  public var defaultBaseURL: String {
    switch self {
    case .openai: "https://api.openai.com/v1"
    case .openrouter: "https://openrouter.ai/api/v1"
    case .anthropic: "https://api.anthropic.com"
    case .ollama: "http://127.0.0.1:11434"
    }
  }

  /// Whether a provider of this type must have an API key.
  public var requiresAPIKey: Bool { self != .ollama }
}
