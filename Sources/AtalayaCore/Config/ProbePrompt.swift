/// The prompt every chat probe sends, and what it is estimated to cost.
public enum ProbePrompt {
  /// The user message of a chat probe.
  public static let text = "Reply with the single word: ok"
  /// Estimated input tokens of one chat probe (the prompt plus message framing).
  public static let estimatedInputTokens = 12
}
