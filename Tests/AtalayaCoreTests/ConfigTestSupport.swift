import AtalayaCore
import Storage
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A fresh temporary directory for one test, with helpers to write files in it.
struct ConfigTempDir {
  let path: String

  init() {
    var template = Array("/tmp/atalaya-config-test-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(made != nil, "mkdtemp failed")
    path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
  }

  /// Writes `contents` to `name` in the directory and returns the full path.
  @discardableResult
  func create(_ name: String, _ contents: String, mode: mode_t = 0o600) -> String {
    let file = path + "/" + name
    let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, mode)
    precondition(fd >= 0, "cannot create \(file)")
    let bytes = Array(contents.utf8)
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    precondition(written == bytes.count)
    close(fd)
    chmod(file, mode)
    return file
  }
}

/// A valid provider block to append to YAML under test.
let minimalProviders = """
  providers:
    - name: local
      type: ollama
      checks:
        - model: llama3
  """

/// The errors parsing `yaml` produces (empty when it parses).
func configErrors(_ yaml: String, env: [String: String] = [:], file: String = "atalaya.yaml")
  -> [ConfigError]
{
  do {
    _ = try ConfigLoader.parse(
      yaml: yaml, file: file, environment: env, files: FileSystemReader())
    return []
  } catch {
    return error.errors
  }
}

/// The single error parsing `yaml` produces; records an issue when there is not exactly one.
func singleConfigError(
  _ yaml: String, env: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
) -> ConfigError? {
  let errors = configErrors(yaml, env: env)
  #expect(errors.count == 1, "expected one error, got: \(errors)", sourceLocation: sourceLocation)
  return errors.first
}
