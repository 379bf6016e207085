import AtalayaCore
import Storage

/// Where `atalaya silence` sends its requests and with which token.
///
/// The URL: `--url`, else `$ATALAYA_URL`, else the config's `listen` address, else
/// `http://127.0.0.1:9478`. The token: `--token-file`, else `$ATALAYA_ADMIN_TOKEN`, else
/// the config's `admin_api.bearer_token`. The config is read when it was named
/// (`--config`, `$ATALAYA_CONFIG`) or when the default file exists; a named config that
/// cannot be read is an error, the default one is skipped quietly.
public struct SilenceTarget: Sendable {
  public var url: String
  public var token: Secret?

  public static func resolve(
    url: String?, tokenFile: String?, configPath: String?, environment env: [String: String]
  ) async throws(SilenceClient.Failure) -> SilenceTarget {
    let named = configPath ?? env["ATALAYA_CONFIG"]
    let path = named ?? "/etc/atalaya/atalaya.yml"
    var config: AtalayaConfig?
    if url == nil || tokenFile == nil {
      do {
        config = try await AgentLaunch.loadConfig(path: path, environment: env)
      } catch {
        if named != nil {
          throw SilenceClient.Failure(description: "\(path): invalid\n\(error.description)")
        }
      }
    }
    var token: Secret?
    if let tokenFile {
      switch FileSystemReader().text(at: tokenFile, limit: 4096) {
      case .success(let text):
        let trimmed = String(text.filter { !$0.isWhitespace })
        guard !trimmed.isEmpty else {
          throw SilenceClient.Failure(description: "\(tokenFile): the token file is empty")
        }
        token = Secret(trimmed)
      case .failure(let error):
        throw SilenceClient.Failure(description: "\(tokenFile): \(error)")
      }
    } else if let text = env["ATALAYA_ADMIN_TOKEN"], !text.isEmpty {
      token = Secret(text)
    } else {
      token = config?.adminAPI.bearerToken
    }
    let base =
      url ?? env["ATALAYA_URL"] ?? config.map { SilenceClient.baseURL(listen: $0.listen) }
      ?? "http://127.0.0.1:9478"
    return SilenceTarget(url: base, token: token)
  }
}
