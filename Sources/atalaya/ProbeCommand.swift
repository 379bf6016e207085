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
      config = try ConfigLoader.load(path: path, environment: env)
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
    let prober = probing.prober
    let outcomes = await withTaskGroup(of: (Int, ProbeOutcome).self) { group in
      for (i, pc) in selected.enumerated() {
        group.addTask { (i, await prober.probe(provider: pc.provider, check: pc.check)) }
      }
      var results = [ProbeOutcome?](repeating: nil, count: selected.count)
      for await (i, o) in group { results[i] = o }
      return results.compactMap { $0 }
    }
    print(ProbeTable.render(outcomes))
    if outcomes.contains(where: { !$0.result.isSuccess }) { throw ExitCode(1) }
  }
}
