import FieldtraceAnalytics

/// The production analysis: sanity filter, Kalman filter, geofences, stops and trips, route
/// deviation and overspeed (`DeviceAnalytics`), per device, against its tenant's setup.
extension DeviceAnalytics: DeviceAnalyzer {
    public typealias Setup = AnalyticsSetup
}

/// The engine `fieldtrace serve` runs.
public typealias AnalyticsEngine = Engine<DeviceAnalytics>
