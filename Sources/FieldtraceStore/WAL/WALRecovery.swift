import FieldtraceCore

extension WALRecovery {
    /// Scans every log file in order. A record that fails its checks is a torn tail when it is
    /// in the last file and no intact record follows it: the file is truncated there (and
    /// synced). Anything else is damage in the middle: `WALError.corrupt`, never skipped.
    static func run(
        _ configuration: WALConfiguration, fs: StoreFileSystem, checkpoint: UInt64
    ) throws -> (recovery: WALRecovery, lastFile: String?) {
        let names = try fs.list(configuration.directory).filter { $0.hasSuffix(".wal") }.sorted()
        var recovery = WALRecovery()
        recovery.lastSequence = checkpoint
        var expected: UInt64?
        var lastFile: String?
        for (index, name) in names.enumerated() {
            let path = configuration.directory + "/" + name
            let isLast = index == names.count - 1
            let file = try fs.open(path, create: false)
            defer { file.close() }
            let bytes = try file.read(at: 0, count: try file.size())
            var offset = 0
            var cut: Int?
            try bytes.withUnsafeBytes { raw in
                while offset < raw.count {
                    let parsed = WALRecord.parse(raw, at: offset, maxPayload: configuration.maxRecordBytes)
                    switch parsed {
                    case .record(let payload, let end):
                        let batch: (sequence: UInt64, fixes: [Fix])
                        do {
                            batch = try WALBatchCodec.decode(UnsafeRawBufferPointer(rebasing: raw[payload]))
                        } catch {
                            throw WALError.corrupt(file: name, offset: offset, detail: "payload: \(error)")
                        }
                        if let e = expected, batch.sequence != e {
                            throw WALError.corrupt(
                                file: name, offset: offset, detail: "sequence \(batch.sequence), expected \(e)")
                        }
                        expected = batch.sequence + 1
                        if batch.sequence > checkpoint { recovery.batches.append(batch) }
                        recovery.lastSequence = max(recovery.lastSequence, batch.sequence)
                        offset = end
                    case .incomplete, .damaged:
                        let detail: String
                        if case .damaged(let why) = parsed { detail = why } else { detail = "incomplete record" }
                        guard isLast, !Self.intactRecordFollows(raw, after: offset, configuration) else {
                            throw WALError.corrupt(file: name, offset: offset, detail: detail)
                        }
                        cut = offset
                        offset = raw.count
                    }
                }
            }
            if let cut {
                recovery.truncatedBytes += bytes.count - cut
                try file.truncate(to: cut)
                try file.sync()
            }
            lastFile = path
        }
        return (recovery, lastFile)
    }

    /// Whether any intact record starts after `offset` (then the damage is not a torn tail).
    static func intactRecordFollows(_ raw: UnsafeRawBufferPointer, after offset: Int, _ configuration: WALConfiguration)
        -> Bool
    {
        var candidate = offset + 1
        while candidate + WALRecord.headerBytes <= raw.count {
            if case .record = WALRecord.parse(raw, at: candidate, maxPayload: configuration.maxRecordBytes) {
                return true
            }
            candidate += 1
        }
        return false
    }
}
