import FieldtraceAnalytics
import Foundation
import Testing

@Suite struct MeasurementNoiseTests {
    let noise = MeasurementNoise()

    @Test func accuracyIsA68PercentRadius() {
        #expect(abs(noise.sigmaM(accuracyM: 15.0959, hdop: nil) - 10) < 0.001)
        // The 68% radius of a circular Gaussian is 1.5096 sigma: the Rayleigh distribution has
        // P(r <= k sigma) = 1 - exp(-k^2 / 2).
        let k = MeasurementNoise.radius68PerSigma
        #expect(abs((1 - exp(-k * k / 2)) - 0.68) < 1e-6)
    }

    @Test func hdopTimesUEREIsTheHorizontalRMS() {
        // HDOP 2 with UERE 5 m: DRMS 10 m, 7.07 m per axis.
        #expect(abs(noise.sigmaM(accuracyM: nil, hdop: 2) - 7.0711) < 0.001)
        let custom = MeasurementNoise(userEquivalentRangeErrorM: 8)
        #expect(abs(custom.sigmaM(accuracyM: nil, hdop: 1) - 5.6569) < 0.001)
    }

    @Test func accuracyWinsOverHDOPAndTheDefaultFillsIn() {
        #expect(abs(noise.sigmaM(accuracyM: 30.1918, hdop: 1) - 20) < 0.001)
        #expect(noise.sigmaM(accuracyM: nil, hdop: nil) == 5)
        #expect(noise.sigmaM(accuracyM: 0, hdop: .nan) == 5)
        #expect(noise.sigmaM(accuracyM: -3, hdop: .infinity) == 5)
        #expect(noise.sigmaM(accuracyM: .infinity, hdop: 1) == 3.5355339059327378)
    }

    @Test func tinyReportsAreClampedToTheMinimum() {
        #expect(noise.sigmaM(accuracyM: 0.5, hdop: nil) == 1)
        #expect(noise.sigmaM(accuracyM: nil, hdop: 0.1) == 1)
    }
}
