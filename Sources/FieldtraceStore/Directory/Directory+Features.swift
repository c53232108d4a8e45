import FieldtraceAnalytics

/// Reading the one GeoJSON Feature of a geofence or route write.
extension Directory {
    /// Parses `bytes` as exactly one GeoJSON Feature (not a collection) of at most
    /// `maxFeatureBytes`, and settles its id: the `pathID` of an update (the feature's own id, if
    /// any, must match it), else the feature's id, else a generated `prefix...` id. The returned
    /// feature carries the id as its `id` member.
    static func readSingleFeature(
        _ bytes: [UInt8], what: String, pathID: String?, prefix: String
    ) throws(DirectoryError) -> (feature: GeoJSONFeature, id: String) {
        guard bytes.count <= maxFeatureBytes else {
            throw .invalid("\(what): GeoJSON Feature larger than \(maxFeatureBytes) bytes")
        }
        let root: JSONValue
        do { root = try JSONParser(maxBytes: maxFeatureBytes).parse(bytes) } catch {
            throw .invalid("\(what): not valid JSON: \(error)")
        }
        guard root["type"]?.stringValue == "Feature" else {
            let found = root["type"]?.stringValue.map { "\"\($0.prefix(32))\"" } ?? root.typeName
            throw .invalid("\(what): expected one GeoJSON Feature (\"type\": \"Feature\"), found \(found)")
        }
        var feature: GeoJSONFeature
        do { feature = try GeoJSON.readFeature(root, index: 0) } catch { throw invalid(what, error) }
        let id: String
        switch (pathID, feature.identifier) {
        case (let path?, let own?) where own != path:
            throw .invalid(
                "\(what): the feature's id \"\(own.prefix(maxIDBytes))\" differs from \"\(path)\" in the URL")
        case (let path?, _): id = path
        case (nil, let own?): id = own
        case (nil, nil): id = generateID(prefix: prefix)
        }
        try checkID(id, what: what)
        feature.id = .string(id)
        feature.properties.removeAll { $0.key == "id" }
        return (feature, id)
    }

    /// A GeoJSON reader error as an `.invalid` message without the collection index.
    static func invalid(_ what: String, _ error: GeoJSONError) -> DirectoryError {
        var e = error
        e.featureIndex = nil
        return .invalid("\(what): \(e)")
    }

    /// An optional string property; anything else but null is `.invalid`.
    static func stringProperty(_ feature: GeoJSONFeature, _ key: String, what: String) throws(DirectoryError)
        -> String?
    {
        switch feature.property(key) {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw .invalid("\(what): property \"\(key)\" must be a string, not \(other.typeName)")
        }
    }

    static func text(of feature: GeoJSONFeature) -> String {
        var out: [UInt8] = []
        GeoJSON.appendFeature(feature, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
