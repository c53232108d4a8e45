import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// `fieldtrace`: the command-line entry point. Usage errors exit with status 2.
@main
struct Fieldtrace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldtrace",
        abstract: "GPS telemetry engine for field-workforce management.",
        subcommands: [
            DecodeCommand.self, ImportCommand.self, ExportCommand.self, VerifyCommand.self, StatsCommand.self,
            SimulateCommand.self, ServeCommand.self, AnalyzeCommand.self, EvalCommand.self, SmoothCommand.self,
            SimplifyCommand.self, KernelsCommand.self, ReportCommand.self, PlotCommand.self, TokenCommand.self,
            AuditCommand.self, BenchFanoutCommand.self, DemoCommand.self,
            EngineBenchCommand.self, BenchTrackCommand.self,
        ]
    )

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Glibc.exit(0)
            }
            if !message.isEmpty { CLIOutput.standardError(message + "\n") }
            // ArgumentParser's usage failures (64) become 2, the common Unix usage status.
            Glibc.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
