/// GSA, DOP and active satellites: `$--GSA,a,x,p1,...,p12,p.p,h.h,v.v[,s]*hh`:
/// mode (M manual, A automatic), fix type (1 none, 2 2D, 3 3D), the PRNs of up to 12
/// satellites used, PDOP, HDOP, VDOP, system id (4.11+). No time: it joins the current
/// epoch. Gives HDOP and, when no GGA/GNS does, the count of satellites used (summed over
/// the GSAs of an epoch: multi-constellation receivers send one per system). PRN fields are
/// counted, not parsed.
enum NMEAGSA {
    @inline(__always)
    static func parse(_ f: inout NMEAFields) throws(NMEAError) -> NMEASentenceData {
        var d = NMEASentenceData()
        f.skip(2)
        var used = 0
        for _ in 0..<12 where f.skipNonEmpty() { used &+= 1 }
        d.gsaSatellites = used
        f.skip()
        d.gsaHdop = try f.hdop()
        return d
    }
}
