import FieldtraceCore
import FieldtraceReports
import Testing

@Suite struct HeatmapTests {
    @Test func countsPerCellLargestFirstWithDistinctDevices() {
        var map = Heatmap(cellM: 250, referenceLatitude: 31.2)
        let a = DeviceID("a")!
        let b = DeviceID("b")!
        // 3 points in one cell (two devices), 1 in a cell about 1 km east.
        map.add(latitude: 31.20001, longitude: 121.40001, weight: 1, device: a)
        map.add(latitude: 31.20002, longitude: 121.40002, weight: 1, device: a)
        map.add(latitude: 31.20003, longitude: 121.40003, weight: 1, device: b)
        map.add(latitude: 31.20001, longitude: 121.41051, weight: 1, device: b)
        let cells = map.cells()
        #expect(cells.map(\.value) == [3, 1])
        #expect(cells.map(\.devices) == [2, 1])
        #expect(cells[1].column - cells[0].column == 4, "about 1 km east is 4 cells of 250 m")
        #expect(cells[0].row == cells[1].row)
        // The centre of the cell holding a point is within half a diagonal of it.
        let d = Geodesy.haversineMeters(
            lat1: 31.20001, lon1: 121.40001, lat2: cells[0].latitude, lon2: cells[0].longitude)
        #expect(d <= 250 * 0.71 + 1)
        #expect(map.cells(limit: 1).count == 1)
    }

    @Test func anchoredGridGivesTheSameCellsInEveryReport() {
        var one = Heatmap(cellM: 500, referenceLatitude: 52.5)
        var two = Heatmap(cellM: 500, referenceLatitude: 52.5)
        let d = DeviceID("d")!
        one.add(latitude: 52.52, longitude: 13.40, weight: 2, device: d)
        two.add(latitude: 52.52, longitude: 13.40, weight: 5, device: d)
        two.add(latitude: -33.9, longitude: -70.6, weight: 1, device: d)  // negative coordinates
        #expect(one.cells()[0].row == two.cells()[0].row && one.cells()[0].column == two.cells()[0].column)
        let south = two.cells()[1]
        #expect(abs(south.latitude - -33.9) < 0.005 && abs(south.longitude - -70.6) < 0.01)
    }
}
