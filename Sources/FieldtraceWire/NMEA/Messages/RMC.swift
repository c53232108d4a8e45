/// RMC, recommended minimum data:
/// `$--RMC,hhmmss.ss,A,llll.ll,a,yyyyy.yy,a,x.x,x.x,ddmmyy,x.x,a[,m[,s]]*hh`:
/// time, status (A valid, V invalid), latitude, N/S, longitude, E/W, speed (knots), course
/// (degrees true), date (`ddmmyy`, two-digit year), magnetic variation, E/W, mode (2.3+),
/// navigational status (4.1+). The last four are not used.
enum NMEARMC {
    @inline(__always)
    static func parse(
        _ f: inout NMEAFields, referenceYear: Int, dateCache: inout NMEADateCache
    ) throws(NMEAError) -> NMEASentenceData {
        var d = NMEASentenceData()
        d.timeOfDayMs = try f.timeOfDayMs()
        d.validity = try f.status()
        d.position = try NMEAPosition.read(&f)
        d.speedMps = try f.speedKnotsAsMps()
        d.courseDeg = try f.courseDeg()
        d.dayNumber = try NMEADate.ddmmyy(&f, referenceYear: referenceYear, cache: &dateCache)
        return d
    }
}
