#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// The C library's transcendental functions, named so the rest of Core reads without platform
// imports. The C library is part of the standard toolchain, not a dependency.
@inlinable func sine(_ x: Double) -> Double { sin(x) }
@inlinable func cosine(_ x: Double) -> Double { cos(x) }
@inlinable func arcsine(_ x: Double) -> Double { asin(x) }
