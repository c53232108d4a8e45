import ArgumentParser
import FieldtraceCore

/// A track file as `analyze`, `smooth` and `simplify` read it: CSV with a header naming at least
/// `device,time,lat,lon` (optional `speed_mps,course_deg,hdop,accuracy_m,alt_m,...`; time ISO 8601
/// or Unix ms), or the JSON lines `fieldtrace decode` prints. The format is the file's extension
/// (`.jsonl`, `.json`, `.csv`) or else its first character (`{` means JSON lines).
struct TrackInput {
    enum Format { case csv, jsonl }

    let format: Format
    /// The fixes in file order.
    let fixes: [Fix]

    /// Reads `path` (`-` for standard input). An unreadable file exits 2, bad content exits 1,
    /// each with a message on standard error naming the command.
    init(path: String, command: String) throws {
        let bytes: [UInt8]
        do {
            bytes = try CLIOutput.readAll(path)
        } catch {
            CLIOutput.standardError("fieldtrace \(command): \(error)\n")
            throw ExitCode(2)
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") {
            format = .jsonl
        } else if lower.hasSuffix(".csv") {
            format = .csv
        } else {
            let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
            format = first == UInt8(ascii: "{") ? .jsonl : .csv
        }
        do {
            fixes =
                format == .jsonl
                ? try FixTextFormats.parseJSONLines(bytes, device: nil)
                : try FixTextFormats.parseCSV(bytes, device: nil)
        } catch {
            CLIOutput.standardError("fieldtrace \(command): \(path): \(error)\n")
            throw ExitCode(1)
        }
    }

    /// Indices of the fixes per device, devices in order of first appearance, each device's
    /// indices in fix-time order (stable: equal times keep file order).
    var indicesByDevice: [(device: DeviceID, indices: [Int])] {
        var order: [DeviceID] = []
        var groups: [DeviceID: [Int]] = [:]
        for (i, fix) in fixes.enumerated() {
            if groups[fix.device] == nil { order.append(fix.device) }
            groups[fix.device, default: []].append(i)
        }
        return order.map { device in
            let sorted = groups[device]!.enumerated().sorted {
                let (a, b) = (fixes[$0.element].timeMs, fixes[$1.element].timeMs)
                return a != b ? a < b : $0.offset < $1.offset
            }.map(\.element)
            return (device, sorted)
        }
    }

    /// Writes fixes in this input's format (CSV with the full header, or JSON lines).
    func write(_ fixes: some Sequence<Fix>, to writer: inout BufferedWriter) {
        if format == .csv { writer.buffer.append(contentsOf: (FixTextFormats.csvHeader + "\n").utf8) }
        for fix in fixes {
            FixTextFormats.appendLine(fix, csv: format == .csv, to: &writer.buffer)
            writer.flushIfFull()
        }
    }
}
