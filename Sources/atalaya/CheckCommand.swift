import ArgumentParser
import AtalayaAgent
import AtalayaCore
import Storage

/// `atalaya check`: validate a config and summarise it.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check", abstract: "Validate a configuration file and print a summary.")

  @OptionGroup var options: ConfigOptions

  func run() throws {
    let env = ProcessEnvironment.current()
    let path = options.path(environment: env)
    do {
      let config = try ConfigLoader.load(path: path, environment: env)
      if let dir = config.stateDir, let problem = StateFile.writeProblem(directory: dir) {
        printError("\(path): valid, but state_dir cannot be used: \(problem)")
        throw ExitCode(1)
      }
      print("\(path): valid")
      let summary = ConfigSummary(config: config)
      print(summary.render())
      print(summary.probeSpend.render())
      print(config.effectiveAlerting.summaryLines().joined(separator: "\n"))
    } catch let error as ConfigErrors {
      printError(
        "\(path): invalid (\(error.errors.count) error\(error.errors.count == 1 ? "" : "s"))")
      printError(error.description)
      throw ExitCode(1)
    }
  }
}

/// Writes a line to standard error.
func printError(_ text: String) {
  var stderr = StandardError()
  print(text, to: &stderr)
}

struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    var s = string
    s.withUTF8 { buf in _ = fwriteStderr(buf) }
  }
}
