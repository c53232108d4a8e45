/// GGA, fix data:
/// `$--GGA,hhmmss.ss,llll.ll,a,yyyyy.yy,a,q,nn,h.h,a.a,M,g.g,M,x.x,xxxx*hh`:
/// time, latitude, N/S, longitude, E/W, quality (0 no fix, 1-8 a fix of some kind),
/// satellites used, HDOP, altitude above mean sea level (m), `M`, geoid separation, `M`,
/// age of differential data, station id. No date: the epoch takes the stream's.
enum NMEAGGA {
    @inline(__always)
    static func parse(_ f: inout NMEAFields) throws(NMEAError) -> NMEASentenceData {
        var d = NMEASentenceData()
        d.timeOfDayMs = try f.next().timeOfDayMs()
        d.position = try NMEAPosition.read(&f)
        let quality = f.next()
        if let q = try quality.unsigned() {
            guard q <= 9 else { throw quality.error }
            d.validity = q > 0
        }
        d.satellites = try f.next().satellites()
        d.hdop = try f.next().hdop()
        d.altitudeM = try f.next().altitudeM()
        return d
    }
}
