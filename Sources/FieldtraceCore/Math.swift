#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// The C library's transcendental functions, named so the rest of Core reads without platform
// imports; public so Analytics (standard library and Core only) uses them too. The C library is
// part of the standard toolchain, not a dependency. Angles in radians.
@inlinable public func sine(_ x: Double) -> Double { sin(x) }
@inlinable public func cosine(_ x: Double) -> Double { cos(x) }
@inlinable public func arcsine(_ x: Double) -> Double { asin(x) }
@inlinable public func arctangent2(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
@inlinable public func exponential(_ x: Double) -> Double { exp(x) }
@inlinable public func naturalLogarithm(_ x: Double) -> Double { log(x) }
