/// Loads and validates the YAML config file into an ``AtalayaConfig``.
///
/// Every problem is reported (not just the first) as a ``ConfigError`` with
/// file, line, column and key path; no message ever contains a secret.
///
/// ```yaml
/// listen: 127.0.0.1:9478         # host:port; IPv6 as [::1]:9478; port 0...65535. Default 127.0.0.1:9478
/// state_dir: /var/lib/atalaya     # absolute path. Default: the first entry of $STATE_DIRECTORY, else none
///                                 # (state kept in memory only)
/// window: 10m                     # rolling window for ratios and quantiles, 10s...24h. Default 10m
/// defaults:                       # used where a provider or check sets none
///   interval: 30s                 # 1s...24h. Default 30s
///   timeout: 15s                  # 100ms...10m, at most the interval. Default 15s
/// providers:                      # required, at least one
///   - name: openrouter            # required; [a-z0-9_-]{1,64}, unique; the `provider` label
///     type: openrouter            # openai (default) | openrouter | anthropic | ollama
///     base_url: https://openrouter.ai/api/v1
///                                 # http(s), no credentials/query/fragment; trailing slash removed.
///                                 # Default: openai https://api.openai.com/v1, openrouter
///                                 # https://openrouter.ai/api/v1, anthropic https://api.anthropic.com,
///                                 # ollama http://127.0.0.1:11434
///     api_key: ${OPENROUTER_API_KEY}
///                                 # or api_key_file: PATH (content, trimmed; relative to the config
///                                 # file's directory), or api_key_credential: NAME (the file NAME in
///                                 # $CREDENTIALS_DIRECTORY, see systemd LoadCredential=). At most one;
///                                 # required for openai, openrouter and anthropic, optional for ollama
///     headers: {X-Title: my-app}  # extra request headers; values are secrets
///     interval: 60s               # overrides defaults.interval for this provider's checks
///     timeout: 20s                # overrides defaults.timeout
///     count_rate_limited: false   # whether rate_limited results count against health. Default false
///     checks:                     # required, at least one; at most one per model
///       - model: anthropic/claude-3.5-sonnet
///         kind: chat              # chat (default): a tiny chat completion | models: GET {base_url}/models
///         max_tokens: 8           # chat only; 1...4096. Default 8
///         stream: true            # chat only. Default false
///         slow: 8s                # latency above which the check is degraded; 1ms...10m, at most the
///                                 # timeout. Default 10s
///         interval: 30s           # overrides the provider's interval
///         timeout: 10s            # overrides the provider's timeout
///       - kind: models            # no model/max_tokens/stream; model label is CheckID.modelsCheckModel
/// circuit_breaker:
///   failure_threshold: 5          # consecutive failures that open the circuit; 1...1000. Default 5
///   reset_timeout: 60s            # open time before a half-open probe; 1s...24h. Default 60s
///   success_threshold: 2          # half-open successes that close it; 1...1000. Default 2
/// ```
///
/// Durations are `NUMBER UNIT` parts with units `ms`, `s`, `m`, `h` (`250ms`, `1h30m`,
/// `1.5s`). Every scalar value may use `${VAR}` (from the `environment` passed in;
/// unset is an error) and `$$` for a literal `$`. Unknown keys are errors. A null
/// value (`key:` or `key: ~`) is the same as leaving the key out.
public enum ConfigLoader {
  /// Validates config text. `file` names it in errors, and its directory is
  /// where relative `api_key_file` paths are resolved; `files` reads those (the core
  /// itself reads no file: `ConfigLoader.load(path:environment:)` in Storage does).
  public static func parse(
    yaml: String, file: String, environment: [String: String],
    files: any ConfigFileReader = NoFileReader()
  )
    throws(ConfigErrors)
    -> AtalayaConfig
  {
    func failure(_ message: String) -> ConfigErrors {
      ConfigErrors(errors: [
        ConfigError(file: file, line: 0, column: 0, keyPath: "", message: message)
      ])
    }
    guard yaml.utf8.count <= ConfigLimits.maxFileBytes else {
      throw failure(
        "the config is \(yaml.utf8.count) bytes; at most \(ConfigLimits.maxFileBytes) are read")
    }
    // A UTF-8 byte order mark (some Windows editors write one) is not content.
    let yaml = yaml.hasPrefix("\u{FEFF}") ? String(yaml.dropFirst()) : yaml
    let root: Node?
    do {
      root = try YAML.compose(yaml, maxNodes: ConfigLimits.maxNodes)
    } catch .tooManyNodes {
      throw failure(Self.tooManyNodes)
    } catch {
      throw ConfigErrors(errors: [syntaxError(error, yaml: yaml, file: file)])
    }
    if let root, !ConfigDecoder.fitsNodeLimit(root) {
      throw failure(Self.tooManyNodes)
    }
    guard let root, !ConfigDecoder.isNull(root) else {
      throw ConfigErrors(errors: [
        ConfigError(
          file: file, line: 0, column: 0, keyPath: "", message: "the config file is empty")
      ])
    }
    let decoder = ConfigDecoder(file: file, environment: environment, files: files)
    decoder.sourceLines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
    let config = decoder.decodeDocument(root)
    let errors = decoder.finishedErrors()
    guard errors.isEmpty else { throw ConfigErrors(errors: errors) }
    return config
  }

  static let tooManyNodes =
    "the config expands to more than \(ConfigLimits.maxNodes) YAML nodes (aliases count "
    + "each time they are used); write it out or split it"

  /// A YAML error as a ConfigError, without a snippet of the text (it could hold a secret).
  static func syntaxError(_ error: YAMLError, yaml: String, file: String) -> ConfigError {
    func make(_ mark: Mark, _ message: String) -> ConfigError {
      ConfigError(
        file: file, line: mark.line, column: mark.column, keyPath: "",
        message: Redactor.scrubCommonPatterns(message))
    }
    switch error {
    case .scanner(let context, let problem, let mark),
      .parser(let context, let problem, let mark),
      .composer(let context, let problem, let mark):
      var message = "YAML syntax error: \(problem)"
      if let context {
        message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
      }
      return make(mark, message)
    case .duplicatedKeysInMapping(let duplicates, let mark):
      let keys = duplicates.map { "`\($0)`" }.joined(separator: ", ")
      return make(mark, "key \(keys) appears more than once in the same mapping")
    case .tooDeep(let limit, let mark):
      return make(
        mark,
        "YAML syntax error: collections nested more than \(limit) deep (an alias counts as "
          + "what it names)")
    case .reader(let problem, let byteOffset, _):
      // The offset in characters, as Yams reported it (none inside a character).
      let offset = yaml.utf8.index(
        yaml.utf8.startIndex, offsetBy: byteOffset, limitedBy: yaml.utf8.endIndex
      )?.samePosition(in: yaml).map { yaml.distance(from: yaml.startIndex, to: $0) }
      let (line, column) = offset.map { position(ofCharacter: $0, in: yaml) } ?? (0, 0)
      return ConfigError(
        file: file, line: line, column: column, keyPath: "", message: "cannot read YAML: \(problem)"
      )
    case .tooManyNodes:
      return ConfigError(file: file, line: 0, column: 0, keyPath: "", message: tooManyNodes)
    case .memory:
      return ConfigError(file: file, line: 0, column: 0, keyPath: "", message: "invalid YAML")
    }
  }

  /// 1-based line and column of the character at `offset`.
  private static func position(ofCharacter offset: Int, in text: String) -> (Int, Int) {
    var line = 1
    var column = 1
    for (i, c) in text.enumerated() {
      if i == offset { break }
      if c == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return (line, column)
  }
}
