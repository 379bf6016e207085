/// The tiny prompt every chat probe sends.
public enum ProbePrompt {
  public static let text = "Reply with the single word: ok"
}
