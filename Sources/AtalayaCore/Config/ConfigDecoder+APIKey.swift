extension ConfigDecoder {
  static let apiKeySources = ["api_key", "api_key_file", "api_key_credential"]

  /// The provider's API key from whichever of `api_key`, `api_key_file` and
  /// `api_key_credential` is set. Reports more than one source, a missing key
  /// for a type that needs one, unreadable files and malformed keys — never
  /// showing the key.
  func apiKey(_ e: Entries, type: ProviderType?) -> Secret? {
    let sources = Self.apiKeySources.filter(e.has)
    for extra in sources.dropFirst() {
      fail(
        e.path(extra), at: e.keyNode(extra),
        "set only one of api_key, api_key_file and api_key_credential (`\(sources[0])` is set too)")
    }
    guard let source = sources.first, let node = e.value(source) else {
      if let type, type.requiresAPIKey {
        requireKey(
          "api_key", in: e,
          "type `\(type.rawValue)` needs an API key: set api_key, api_key_file or api_key_credential"
        )
      }
      return nil
    }
    let path = e.path(source)
    let key: String?
    switch source {
    case "api_key":
      key = string(node, path: path, secret: true)
    case "api_key_file":
      guard let file = nonEmptyString(node, path: path) else { return nil }
      key = readKey(
        at: ConfigPath.resolve(file, relativeTo: baseDirectory), node: node, path: path,
        what: "file")
    default:
      guard let name = nonEmptyString(node, path: path) else { return nil }
      guard !name.contains("/"), name != ".", name != ".." else {
        fail(path, at: node, "a credential name is a plain file name, without `/`")
        return nil
      }
      guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else {
        fail(
          path, at: node,
          "$CREDENTIALS_DIRECTORY is not set; pass the key with systemd's LoadCredential= "
            + "or use api_key_file")
        return nil
      }
      key = readKey(
        at: ConfigPath.resolve(name, relativeTo: directory), node: node, path: path,
        what: "credential")
    }
    guard let key else { return nil }
    if key.isEmpty {
      fail(path, at: node, "the API key is empty")
      return nil
    }
    if key.unicodeScalars.contains(where: {
      $0.properties.isWhitespace || $0.properties.generalCategory == .control
    }) {
      fail(path, at: node, "the API key must not contain spaces, line breaks or control characters")
      return nil
    }
    return Secret(key)
  }

  /// A key file's content, trimmed of surrounding whitespace.
  private func readKey(at file: String, node: Node, path: String, what: String) -> String? {
    switch files.text(at: file, limit: 64 << 10) {
    case .success(let text):
      rememberSecret(text)
      let trimmed = Self.trimmed(text)
      rememberSecret(trimmed)
      return trimmed
    case .failure(let error):
      fail(path, at: node, "cannot read \(what) `\(file)`: \(error.reason)")
      return nil
    }
  }

  static func trimmed(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[first...last])
  }
}
