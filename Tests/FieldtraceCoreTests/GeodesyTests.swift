import FieldtraceCore
import FieldtraceTestSupport
import Testing

@Suite struct GeodesyTests {
    @Test func knownDistances() {
        // One degree of latitude on the mean sphere: 111.195 km.
        let d = Geodesy.haversineMeters(lat1: 0, lon1: 0, lat2: 1, lon2: 0)
        #expect(abs(d - 111_195.08) < 0.1)
        // Shanghai People's Square to Beijing Tiananmen: about 1,067 km.
        let sb = Geodesy.haversineMeters(lat1: 31.2304, lon1: 121.4737, lat2: 39.9087, lon2: 116.3975)
        #expect(abs(sb - 1_067_000) < 3_000)
        // Across the antimeridian is short, not half the world.
        let am = Geodesy.haversineMeters(lat1: 0, lon1: 179.9999, lat2: 0, lon2: -179.9999)
        #expect(abs(am - 22.24) < 0.01)
        #expect(Geodesy.haversineMeters(lat1: 10, lon1: 10, lat2: 10, lon2: 10) == 0)
    }

    @Test func tangentPlaneAgreesWithHaversineNearby() {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<1000 {
            let lat0 = Double(rng.next() % 16_000) / 100 - 80
            let lon0 = Double(rng.next() % 36_000) / 100 - 180
            let plane = LocalTangentPlane(originLatitude: lat0, originLongitude: lon0)
            let lat = lat0 + (Double(rng.next() % 2000) - 1000) / 100_000
            var lon = lon0 + (Double(rng.next() % 2000) - 1000) / 100_000
            if lon > 180 { lon -= 360 } else if lon < -180 { lon += 360 }
            let (e, n) = plane.project(latitude: lat, longitude: lon)
            let planar = (e * e + n * n).squareRoot()
            let sphere = Geodesy.haversineMeters(lat1: lat0, lon1: lon0, lat2: lat, lon2: lon)
            #expect(abs(planar - sphere) < max(0.01, sphere * 0.002), "origin \(lat0),\(lon0)")
            let back = plane.unproject(eastM: e, northM: n)
            #expect(abs(back.latitude - lat) < 1e-9 && abs(back.longitude - lon) < 1e-9)
        }
    }

    @Test func coordinateDecimalsAreExact() {
        #expect(CoordinateE7.decimalString(0) == "0")
        #expect(CoordinateE7.decimalString(-338_688_197) == "-33.8688197")
        #expect(CoordinateE7.decimalString(125_000_000) == "12.5")
        #expect(CoordinateE7.decimalString(-1_800_000_000) == "-180")
        #expect(CoordinateE7.decimalString(1) == "0.0000001")
        #expect(CoordinateE7.decimalString(-10) == "-0.000001")
        #expect(CoordinateE7.fromDegrees(-33.8688197) == -338_688_197)
    }
}
