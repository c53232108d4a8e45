import FieldtraceAPI
import Testing

@Suite struct PageTests {
    @Test func cursorsRoundTripAndRejectForgeries() throws {
        for position in ["", "tok_0123", "42", "ü\t/"] {
            #expect(try Cursor.decode(Cursor.encode(position)) == position)
        }
        #expect(Cursor.encode("A") == "c141")
        for bad in ["", "c", "c1a", "c1g0", "C141", "x141", "c1" + String(repeating: "41", count: 513)] {
            #expect(throws: APIError.self) { try Cursor.decode(bad) }
        }
    }

    @Test func pagesCarryACursorOnlyWhenMoreFollow() throws {
        let full = Page<Int>.make([1, 2, 3], limit: 2, cursorOf: { "\($0)" }, transform: { $0 * 10 })
        #expect(full.items == [10, 20])
        #expect(try full.nextCursor.map(Cursor.decode) == "2")
        let last = Page<Int>.make([1, 2], limit: 2, cursorOf: { "\($0)" }, transform: { $0 })
        #expect(last.nextCursor == nil)
    }
}

@Suite struct ComponentsTests {
    struct Dispatcher: Sendable { var name: String }

    @Test func componentsAreFoundByType() throws {
        let components = APIComponents()
        #expect(components.get(Dispatcher.self) == nil)
        #expect(throws: APIError.self) { try components.require(Dispatcher.self) }
        components.set(Dispatcher(name: "a"))
        #expect(try components.require(Dispatcher.self).name == "a")
    }
}
