/// ZDA, time and date: `$--ZDA,hhmmss.ss,dd,mm,yyyy,zh,zm*hh`: UTC time, day, month,
/// four-digit year, local zone hours and minutes (unused: the time is UTC). Gives the epoch
/// its date. Years outside 1980 ... 2099 (before GPS time began, or past this decoder's
/// horizon) are rejected as `bad_time`.
enum NMEAZDA {
    static let years = 1980...2099

    @inline(__always)
    static func parse(_ f: inout NMEAFields) throws(NMEAError) -> NMEASentenceData {
        var d = NMEASentenceData()
        d.timeOfDayMs = try f.timeOfDayMs()
        let dayField = f.fieldNumber
        let day = try f.unsigned()
        let month = try f.unsigned()
        let yearStart = f.position
        let year = try f.unsigned()
        let yearDigits = f.position &- 1 &- yearStart
        switch (day, month, year) {
        case (nil, nil, nil): break
        case (let day?, let month?, let year?):
            guard yearDigits == 4, years.contains(year),
                let days = NMEADate.dayNumber(year: year, month: month, day: day)
            else { throw .badTime }
            d.dayNumber = days
        default: throw .badField(field: dayField)
        }
        return d
    }
}
