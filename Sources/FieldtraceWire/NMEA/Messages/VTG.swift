/// VTG, course and speed over ground: `$--VTG,x.x,T,x.x,M,x.x,N,x.x,K[,m]*hh`:
/// course (degrees true), `T`, course (magnetic), `M`, speed (knots), `N`, speed (km/h),
/// `K`, mode (2.3+). No time: it joins the current epoch. Speed from the knots field, or
/// from km/h when knots are empty.
enum NMEAVTG {
    @inline(__always)
    static func parse(_ f: inout NMEAFields) throws(NMEAError) -> NMEASentenceData {
        var d = NMEASentenceData()
        d.courseDeg = try f.next().courseDeg()
        f.skip(3)
        d.speedMps = try f.next().speedKnotsAsMps()
        _ = f.next()
        let kmh = try f.next().speedKmhAsMps()
        if d.speedMps == nil { d.speedMps = kmh }
        return d
    }
}
