import ArgumentParser
import AtalayaAgent
import AtalayaCore
import Logging

/// `atalaya probe`: run every (selected) check once and print a table.
struct ProbeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe",
    abstract: "Run each check once and print the results; exit 1 if any failed.")

  @OptionGroup var options: ConfigOptions
  @Option(help: "Only this provider's checks.") var provider: String?

  func run() async throws {
    let env = ProcessEnvironment.current()
    let path = options.path(environment: env)
    let config: AtalayaConfig
    do {
      config = try await AgentLaunch.loadConfig(path: path, environment: env)
    } catch {
      printError("\(path): invalid\n\(error.description)")
      throw ExitCode(1)
    }
    let selected = config.allChecks.filter { provider == nil || $0.provider.name == provider }
    if selected.isEmpty {
      printError("no checks to run" + (provider.map { ": no provider named \($0)" } ?? ""))
      throw ExitCode(1)
    }
    let probing = ProbingStack()
    defer { probing.shutdown() }
    let outcomes = await AgentLaunch.probeOnce(
      selected.map { ($0.provider, $0.check) }, prober: probing.prober)
    print(ProbeTable.render(outcomes))
    if outcomes.contains(where: { !$0.result.isSuccess }) { throw ExitCode(1) }
  }
}
