/// GNS, multi-constellation fix data:
/// `$--GNS,hhmmss.ss,llll.ll,a,yyyyy.yy,a,c--c,nn,h.h,a.a,g.g,x.x,xxxx[,s]*hh`:
/// time, latitude, N/S, longitude, E/W, mode (one letter per constellation: GPS, GLONASS,
/// Galileo, BeiDou, ...; N means no fix), satellites used, HDOP, altitude above mean sea
/// level (m), geoid separation, age of differential data, station id, navigational status.
/// Valid when any constellation's mode is not N. No date: the epoch takes the stream's.
enum NMEAGNS {
    @inline(__always)
    static func parse(_ f: inout NMEAFields) throws(NMEAError) -> NMEASentenceData {
        var d = NMEASentenceData()
        d.timeOfDayMs = try f.timeOfDayMs()
        d.position = try NMEAPosition.read(&f)
        let mode = f.next()
        if !mode.isEmpty {
            var anyFix = false
            for i in mode.start..<mode.end {
                let c = mode.bytes[i]
                guard c &- UInt8(ascii: "A") < 26 else { throw mode.error }
                if c != UInt8(ascii: "N") { anyFix = true }
            }
            d.validity = anyFix
        }
        d.satellites = try f.satellites()
        d.hdop = try f.hdop()
        d.altitudeM = try f.altitudeM()
        return d
    }
}
