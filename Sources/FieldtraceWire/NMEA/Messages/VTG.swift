/// VTG, course and speed over ground: `$--VTG,x.x,T,x.x,M,x.x,N,x.x,K[,m]*hh`:
/// course (degrees true), `T`, course (magnetic), `M`, speed (knots), `N`, speed (km/h),
/// `K`, mode (2.3+). No time: it joins the current epoch. Speed from the knots field, or
/// from km/h when knots are empty (the km/h field is not read otherwise).
enum NMEAVTG {
    @inline(__always)
    static func parse(_ f: inout NMEAFields) throws(NMEAError) -> NMEASentenceData {
        var d = NMEASentenceData()
        d.courseDeg = try f.courseDeg()
        f.skip(3)
        d.speedMps = try f.speedKnotsAsMps()
        if d.speedMps == nil {
            f.skip()
            d.speedMps = try f.speedKmhAsMps()
        }
        return d
    }
}
