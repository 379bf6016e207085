import ArgumentParser
import AtalayaAgent

/// The `atalaya` command line: a thin layer over AtalayaAgent.
@main
struct Atalaya: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "atalaya",
    abstract: "Watches the LLM providers your application depends on.",
    version: AtalayaVersion.current,
    subcommands: [
      RunCommand.self, DemoCommand.self, CheckCommand.self, ProbeCommand.self, RulesCommand.self,
      SilenceCommand.self,
    ],
    defaultSubcommand: nil
  )
}

/// Options shared by the commands that read a config file.
struct ConfigOptions: ParsableArguments {
  @Option(
    name: [.short, .long],
    help: "Configuration file (default: $ATALAYA_CONFIG, else /etc/atalaya/atalaya.yml).")
  var config: String?

  func path(environment: [String: String]) -> String {
    config ?? environment["ATALAYA_CONFIG"] ?? "/etc/atalaya/atalaya.yml"
  }
}
