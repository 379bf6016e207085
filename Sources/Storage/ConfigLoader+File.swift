import AtalayaCore

extension ConfigLoader {
  /// Reads and validates the config file at `path` and the key files it names
  /// (relative `api_key_file` paths are resolved against the file's directory).
  ///
  /// This reads files: call it off the cooperative pool (``BlockingIO``), as the
  /// agent's reload does.
  public static func load(path: String, environment: [String: String]) throws(ConfigErrors)
    -> AtalayaConfig
  {
    switch TextFile.contents(of: path) {
    case .success(let text):
      return try parse(yaml: text, file: path, environment: environment, files: FileSystemReader())
    case .failure(let error):
      throw ConfigErrors(errors: [
        ConfigError(
          file: path, line: 0, column: 0, keyPath: "",
          message: "cannot read config file: \(error.reason)")
      ])
    }
  }
}
