/// How a chat probe talks to a reasoning model so that it stays cheap and truthful.
///
/// Reasoning models (OpenAI's o-series and gpt-5 families, and the same models through
/// OpenRouter, plus OpenRouter's DeepSeek R1, QwQ and `:thinking` models) spend hidden
/// reasoning tokens before any visible output, and with a tiny token cap return an empty
/// message with `finish_reason: length`. The probe therefore asks for the lowest reasoning
/// effort the API accepts and, unless the check writes `max_tokens`, raises the cap to a
/// floor that leaves room for a visible "ok". `atalaya check` prints both and the
/// estimated cost.
public struct ReasoningProbe: Sendable, Equatable {
  /// The `reasoning_effort` (OpenAI) or `reasoning.effort` (OpenRouter) sent; nil when the
  /// model takes none (o1-mini, o1-preview, gpt-5-pro).
  public var effort: String?
  /// The smallest default `max_tokens` that yields visible output at that effort.
  public var minTokens: Int

  public init(effort: String?, minTokens: Int) {
    self.effort = effort
    self.minTokens = minTokens
  }

  /// The efforts a check may write in `reasoning_effort`.
  public static let efforts = ["none", "minimal", "low", "medium", "high", "xhigh"]

  /// The defaults for `model` at a provider of `type`; nil for a model that is not a
  /// known reasoning model (or a provider type whose probes need none).
  public static func defaults(type: ProviderType, model: String) -> ReasoningProbe? {
    switch type {
    case .openai:
      return openAIFamily(model)
    case .openrouter:
      if let family = openAIFamily(model) { return family }
      let name = model.lowercased()
      if name.contains("deepseek-r1") || name.contains("/qwq") || name.contains(":thinking") {
        return ReasoningProbe(effort: "low", minTokens: 256)
      }
      return nil
    case .anthropic, .ollama:
      // Anthropic's extended thinking and Ollama's `think` are off unless asked for.
      return nil
    }
  }

  /// OpenAI's reasoning families by model name (a provider prefix such as `openai/` is
  /// ignored). Lowest efforts as the API documents them: `none` for gpt-5.1 and later,
  /// `minimal` for gpt-5, `low` for the o-series; o1-mini and o1-preview take no effort,
  /// gpt-5-pro only `high` (so none is sent).
  static func openAIFamily(_ model: String) -> ReasoningProbe? {
    let name = model.split(separator: "/").last.map { $0.lowercased() } ?? ""
    if name.hasPrefix("gpt-5") {
      if name.hasPrefix("gpt-5-chat") { return nil }
      if name.hasPrefix("gpt-5-pro") { return ReasoningProbe(effort: nil, minTokens: 256) }
      if name.hasPrefix("gpt-5.") { return ReasoningProbe(effort: "none", minTokens: 16) }
      return ReasoningProbe(effort: "minimal", minTokens: 64)
    }
    if name.hasPrefix("o1-mini") || name.hasPrefix("o1-preview") {
      return ReasoningProbe(effort: nil, minTokens: 256)
    }
    if ["o1", "o3", "o4"].contains(where: { name.hasPrefix($0) }) {
      return ReasoningProbe(effort: "low", minTokens: 256)
    }
    return nil
  }
}
