/// GLL, geographic position: `$--GLL,llll.ll,a,yyyyy.yy,a,hhmmss.ss,A[,m]*hh`:
/// latitude, N/S, longitude, E/W, time, status (A valid, V invalid), mode (2.3+, unused).
/// No date: the epoch takes the stream's.
enum NMEAGLL {
    @inline(__always)
    static func parse(_ f: inout NMEAFields) throws(NMEAError) -> NMEASentenceData {
        var d = NMEASentenceData()
        d.position = try NMEAPosition.read(&f)
        d.timeOfDayMs = try f.timeOfDayMs()
        d.validity = try f.status()
        return d
    }
}
