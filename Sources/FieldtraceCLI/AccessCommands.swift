import ArgumentParser
import FieldtraceAPI
import FieldtraceCore
import FieldtraceStore
import Foundation

/// `fieldtrace token`: API tokens from the command line (the first admin token of a tenant,
/// and how tenants are created).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.", subcommands: [TokenCreateCommand.self])
}

/// `fieldtrace token create`: prints the new secret once; only its SHA-256 is stored.
struct TokenCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API token (and its tenant, if new); prints the secret once.",
        discussion: """
            Prints `id=<token id> tenant=<tenant> role=<role>` on standard error and the secret \
            (ft_...) alone on standard output, so `TOKEN=$(fieldtrace token create ...)` captures it. \
            Only the secret's SHA-256 is stored: a lost secret cannot be shown again, make a new token. \
            Works while `fieldtrace serve` runs on the same directory (SQLite WAL mode).

            Roles:

            """ + Role.markdownTable)

    @Option(help: "The data directory (created if missing).") var data: String
    @Option(help: "The tenant (created by its first token): 1-64 of A-Z a-z 0-9 . _ -") var tenant: String
    @Option(help: "admin, dispatcher, analyst, attendance or device.") var role: String
    @Option(help: "Limit the token to one device group (directory group id).") var group: String?
    @Option(help: "Lifetime: 90d, 12h, 30m, 45s, or an ISO 8601 instant. Default: never expires.") var expires: String?
    @Option(help: "A label for people.") var name: String = ""

    func run() throws {
        guard let role = Role(rawValue: role) else {
            CLIOutput.standardError(
                "fieldtrace token create: --role '\(role)': one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))\n"
            )
            throw ExitCode(2)
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var expiresMs: Int64?
        if let expires {
            if let duration = APITime.parseDuration(expires) {
                expiresMs = now + duration
            } else if let instant = ISO8601.parse(Array(expires.utf8)) {
                expiresMs = instant
            } else {
                CLIOutput.standardError(
                    "fieldtrace token create: --expires '\(expires)': expected 90d, 12h, 30m, 45s or ISO 8601\n")
                throw ExitCode(2)
            }
        }
        do {
            let access = try AccessStoreFile.open(data)
            let (record, secret) = try TokenIssuer.issue(
                access: access, tenant: tenant, role: role, group: group, name: name, expiresMs: expiresMs, nowMs: now)
            var line = "id=\(record.id) tenant=\(record.tenant) role=\(record.role)"
            if let group = record.group { line += " group=\(group)" }
            if let expiresMs = record.expiresMs { line += " expires=\(ISO8601.format(ms: expiresMs))" }
            CLIOutput.standardError(line + "\n")
            CLIOutput.writeAll(fd: 1, Array((secret + "\n").utf8))
        } catch let error as APIError {
            CLIOutput.standardError("fieldtrace token create: \(error.message)\n")
            throw ExitCode(2)
        } catch {
            CLIOutput.standardError("fieldtrace token create: \(error)\n")
            throw ExitCode(1)
        }
    }
}

/// `fieldtrace audit verify`: walks the audit log's hash chain.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The API audit log.", subcommands: [AuditVerifyCommand.self])
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the audit log's hash chain: prints ok, or names the first broken row (exit 1).",
        discussion: """
            Each audit row's hash is SHA-256 of the previous row's hash and the row's own fields. An \
            edited row, or a removed or edited row before it, breaks the chain at that row. (Removing \
            the newest rows is not detectable by a chain alone; keep copies of `audit verify` output.)
            """)

    @Option(help: "The data directory.") var data: String

    func run() throws {
        guard FileManager.default.fileExists(atPath: data + "/catalog.sqlite") else {
            CLIOutput.standardError("fieldtrace audit verify: \(data) has no catalog.sqlite\n")
            throw ExitCode(2)
        }
        let result: AuditChain.Verification
        do {
            result = try AuditChain.verify(try AccessStoreFile.open(data))
        } catch {
            CLIOutput.standardError("fieldtrace audit verify: \(error)\n")
            throw ExitCode(1)
        }
        CLIOutput.writeAll(fd: 1, Array("\(result)\n".utf8))
        if case .broken = result { throw ExitCode(1) }
    }
}

/// Opens only the catalog of a data directory (not the WAL), so these commands run beside a
/// live `fieldtrace serve`.
enum AccessStoreFile {
    static func open(_ directory: String) throws -> AccessStore {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return AccessStore(catalog: try Catalog(path: directory + "/catalog.sqlite"))
    }
}
