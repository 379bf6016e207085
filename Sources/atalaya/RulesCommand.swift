import ArgumentParser
import AtalayaAgent
import AtalayaCore

/// `atalaya rules`: print Prometheus rules for the configured SLOs.
struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules",
    abstract: "Print Prometheus recording and alerting rules for the configured SLOs.")

  @OptionGroup var options: ConfigOptions

  func run() throws {
    let env = ProcessEnvironment.current()
    let path = options.path(environment: env)
    do {
      let config = try ConfigLoader.load(path: path, environment: env)
      print(PrometheusSLORules.render(config), terminator: "")
    } catch {
      printError(
        "\(path): invalid (\(error.errors.count) error\(error.errors.count == 1 ? "" : "s"))")
      printError(error.description)
      throw ExitCode(1)
    }
  }
}
