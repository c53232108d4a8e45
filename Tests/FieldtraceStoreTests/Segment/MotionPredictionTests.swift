import Foundation
import Testing

@testable import FieldtraceStore

@Suite struct MotionPredictionTests {
    @Test func sineTableIsTheSine() {
        for centidegrees in stride(from: Int64(-72_000), through: 72_000, by: 7) {
            let exact = sin(Double(centidegrees) / 100 * Double.pi / 180) * Double(1 << 30)
            #expect(
                abs(Double(MotionPrediction.sineQ30(centidegrees: centidegrees)) - exact) < 2.0e-4 * Double(1 << 30))
        }
        for degree in 0...90 {
            let exact = sin(Double(degree) * Double.pi / 180) * Double(1 << 30)
            #expect(abs(Double(MotionPrediction.sineQ30[degree]) - exact) <= 0.5)
        }
    }

    @Test func predictsTheDistanceDrivenFromTheReportedVelocities() {
        // 10 m/s north for 10 s: 100 m, 8,983 units of 1e-7 degree of latitude.
        let north = MotionPrediction.Velocity(speed: 10_000, course: 0)
        let p = MotionPrediction.predict(from: north, to: north, intervalMs: 10_000)
        #expect(abs(p.north - 8_983) <= 1 && abs(p.eastUm) <= 1 && p.context == 1)
        // East at 60 degrees latitude: a degree of longitude is half as long.
        let east = MotionPrediction.Velocity(speed: 10_000, course: 9_000)
        let q = MotionPrediction.predict(from: east, to: east, intervalMs: 10_000)
        #expect(abs(q.eastUm - 100_000_000) < 10_000 && abs(q.north) <= 1)
        #expect(abs(MotionPrediction.longitudeUnits(eastUm: q.eastUm, latitudeE7: 600_000_000) - 17_966) <= 2)
        // Accelerating from standing while turning a right angle: the mean of both velocities.
        let r = MotionPrediction.predict(
            from: MotionPrediction.Velocity(speed: 0, course: nil), to: east, intervalMs: 10_000)
        #expect(abs(r.eastUm - 50_000_000) < 10_000 && r.context == 4)
    }

    @Test func untrustedInputsGiveNoPrediction() {
        let ok = MotionPrediction.Velocity(speed: 10_000, course: 0)
        let cases: [(MotionPrediction.Velocity, Int64)] = [
            (MotionPrediction.Velocity(speed: nil, course: 0), 10_000),
            (MotionPrediction.Velocity(speed: 10_000, course: nil), 10_000),
            (MotionPrediction.Velocity(speed: 100_001, course: 0), 10_000),
            (MotionPrediction.Velocity(speed: -1, course: 0), 10_000),
            (ok, 0), (ok, -5), (ok, 524_288),
        ]
        for (v, interval) in cases {
            let p = MotionPrediction.predict(from: ok, to: v, intervalMs: interval)
            #expect(p.north == 0 && p.eastUm == 0 && p.context == MotionPrediction.contexts - 1)
        }
        #expect(MotionPrediction.longitudeUnits(eastUm: 1_000_000, latitudeE7: 890_000_001) == 0)
        #expect(MotionPrediction.longitudeUnits(eastUm: 1_000_000, latitudeE7: -900_000_000) == 0)
    }
}
