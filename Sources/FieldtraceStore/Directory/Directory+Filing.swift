import FieldtraceCore

extension Directory {
    /// The tenant and group a device is filed under: its registration, or `nil` for a device
    /// the directory does not know (it belongs to the default tenant, as for the analysis).
    public func filing(of device: DeviceID) throws -> (tenant: String, group: String?)? {
        guard let row = try read({ db in try Directory.fetchDevice(db, id: device) }), row.registeredMs != nil else {
            return nil
        }
        return (row.tenant, row.group)
    }
}
