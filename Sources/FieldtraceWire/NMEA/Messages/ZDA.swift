/// ZDA, time and date: `$--ZDA,hhmmss.ss,dd,mm,yyyy,zh,zm*hh`: UTC time, day, month,
/// four-digit year, local zone hours and minutes (unused: the time is UTC). Gives the epoch
/// its date. Years outside 1980 ... 2099 (before GPS time began, or past this decoder's
/// horizon) are rejected as `bad_time`.
enum NMEAZDA {
    static let years = 1980...2099

    @inline(__always)
    static func parse(_ f: inout NMEAFields) throws(NMEAError) -> NMEASentenceData {
        var d = NMEASentenceData()
        d.timeOfDayMs = try f.next().timeOfDayMs()
        let dayField = f.next()
        let monthField = f.next()
        let yearField = f.next()
        let day = try dayField.unsigned()
        let month = try monthField.unsigned()
        let year = try yearField.unsigned()
        switch (day, month, year) {
        case (nil, nil, nil): break
        case (let day?, let month?, let year?):
            guard yearField.count == 4, years.contains(year),
                let days = NMEADate.dayNumber(year: year, month: month, day: day)
            else { throw .badTime }
            d.dayNumber = days
        default: throw .badTime
        }
        return d
    }
}
