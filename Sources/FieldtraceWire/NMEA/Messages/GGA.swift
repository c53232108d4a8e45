/// GGA, fix data:
/// `$--GGA,hhmmss.ss,llll.ll,a,yyyyy.yy,a,q,nn,h.h,a.a,M,g.g,M,x.x,xxxx*hh`:
/// time, latitude, N/S, longitude, E/W, quality (0 no fix, 1-8 a fix of some kind),
/// satellites used, HDOP, altitude above mean sea level (m), `M`, geoid separation, `M`,
/// age of differential data, station id. No date: the epoch takes the stream's.
enum NMEAGGA {
    @inline(__always)
    static func parse(_ f: inout NMEAFields) throws(NMEAError) -> NMEASentenceData {
        var d = NMEASentenceData()
        d.timeOfDayMs = try f.timeOfDayMs()
        d.position = try NMEAPosition.read(&f)
        if let q = try f.character() {
            guard q &- UInt8(ascii: "0") <= 9 else { throw .badField(field: f.fieldNumber &- 1) }
            d.validity = q != UInt8(ascii: "0")
        }
        d.satellites = try f.satellites()
        d.hdop = try f.hdop()
        d.altitudeM = try f.altitudeM()
        return d
    }
}
