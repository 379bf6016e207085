/// The agent's version, reported by `atalaya --version` and atalaya_build_info.
public enum AtalayaVersion {
  public static let current = "0.1.0"
}
