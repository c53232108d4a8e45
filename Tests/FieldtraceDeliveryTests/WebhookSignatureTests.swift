import FieldtraceDelivery
import Testing

@Suite struct WebhookSignatureTests {
    static let body = Array(#"{"webhook":1,"events":[{"id":7}]}"#.utf8)

    @Test func hmacMatchesRFC4231TestCases() {
        // RFC 4231 section 4.3 (test case 2) and 4.2 (test case 1).
        let case2 = WebhookSignature.hmacSHA256(
            key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(WebhookSignature.hex(case2) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let case1 = WebhookSignature.hmacSHA256(
            key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(WebhookSignature.hex(case1) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func signsAKnownAnswer() {
        // python3: hmac.new(b'whsec_test', b'1700000000.' + body, hashlib.sha256).hexdigest()
        let header = WebhookSignature.sign(body: Self.body, secret: "whsec_test", timestamp: 1_700_000_000)
        #expect(header == "t=1700000000,v1=b74ecfc2711cea2e69a39499d58dd6a663ba2c019d57a805ac989ab88356535e")
    }

    @Test func verifiesItsOwnSignatureWithinTolerance() throws {
        let header = WebhookSignature.sign(body: Self.body, secret: "s3cret", timestamp: 1_700_000_000)
        #expect(
            try WebhookSignature.verify(signature: header, body: Self.body, secret: "s3cret", nowSeconds: 1_700_000_299)
                == 1_700_000_000)
        #expect(
            throws: WebhookSignature.VerificationError.outsideTolerance(timestamp: 1_700_000_000, now: 1_700_000_301)
        ) {
            try WebhookSignature.verify(signature: header, body: Self.body, secret: "s3cret", nowSeconds: 1_700_000_301)
        }
    }

    @Test func refusesAnotherBodySecretOrTimestamp() {
        let header = WebhookSignature.sign(body: Self.body, secret: "s3cret", timestamp: 1_700_000_000)
        var tampered = Self.body
        tampered[tampered.count - 3] = UInt8(ascii: "8")
        #expect(throws: WebhookSignature.VerificationError.mismatch) {
            try WebhookSignature.verify(signature: header, body: tampered, secret: "s3cret", nowSeconds: 1_700_000_000)
        }
        #expect(throws: WebhookSignature.VerificationError.mismatch) {
            try WebhookSignature.verify(signature: header, body: Self.body, secret: "other", nowSeconds: 1_700_000_000)
        }
        // The timestamp is signed: moving it breaks the signature.
        let moved = header.replacingOccurrences(of: "t=1700000000", with: "t=1700000100")
        #expect(throws: WebhookSignature.VerificationError.mismatch) {
            try WebhookSignature.verify(signature: moved, body: Self.body, secret: "s3cret", nowSeconds: 1_700_000_100)
        }
    }

    @Test func acceptsAnyOfSeveralV1EntriesAndIgnoresOtherSchemes() throws {
        let good = WebhookSignature.sign(body: Self.body, secret: "new", timestamp: 100)
        let v1 = good.split(separator: ",")[1]
        let header = "t=100,v0=zz,v1=\(String(repeating: "0", count: 64)),\(v1)"
        #expect(try WebhookSignature.verify(signature: header, body: Self.body, secret: "new", nowSeconds: 100) == 100)
    }

    @Test(arguments: [
        "", "v1=00", "t=abc,v1=00", "t=1", "t=1,v1=0g" + String(repeating: "0", count: 62), "t=1,,v1=00",
        "t=1,t=2,v1=" + String(repeating: "0", count: 64), "t=1,v1=" + String(repeating: "0", count: 63),
    ])
    func refusesMalformedHeaders(header: String) {
        #expect {
            try WebhookSignature.verify(signature: header, body: Self.body, secret: "s", nowSeconds: 1)
        } throws: { error in
            if case .malformed = error as? WebhookSignature.VerificationError { return true }
            return false
        }
    }

    @Test func newSecretsAreLongAndDistinct() {
        let a = WebhookSignature.newSecret()
        let b = WebhookSignature.newSecret()
        #expect(a.hasPrefix("whsec_") && a.count == 6 + 64 && a != b)
    }
}
