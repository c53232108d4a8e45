import Hummingbird

/// `GET /`: the dashboard, one page with no external assets (no map tiles exist offline):
/// fences, tracks and workers drawn in a local projection with a scale bar on a canvas, live
/// positions (`/v1/positions/stream`) and events (`/v1/events/stream`) over server-sent events,
/// the worker list, a day replay with a time slider, and the attendance table. The page itself
/// holds no data: it asks for a token (or reads `#token=` from the URL) and calls the API.
func addDashboardRoutes(to router: Router<APIRequestContext>) {
    router.get("/") { _, _ -> Response in
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: DashboardPage.html)))
    }
}

enum DashboardPage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Fieldtrace</title>
        <link rel="icon" href="data:,">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
        * { box-sizing: border-box; }
        body { margin: 0; font: 13px/1.4 system-ui, sans-serif; color: #1d2327; background: #f3f4f1; }
        header { display: flex; gap: 12px; align-items: center; padding: 8px 14px; background: #1f3a4d;
          color: #fff; }
        header h1 { font-size: 16px; margin: 0 12px 0 0; }
        header input { width: 260px; }
        #status { margin-left: auto; font-size: 12px; opacity: 0.85; }
        main { display: grid; grid-template-columns: 1fr 380px; gap: 10px; padding: 10px;
          height: calc(100vh - 44px); }
        #left { display: flex; flex-direction: column; gap: 8px; min-height: 0; }
        #mapbox { position: relative; flex: 1; background: #fff; border: 1px solid #ccd; min-height: 300px; }
        #map { width: 100%; height: 100%; display: block; }
        #replay { display: flex; gap: 8px; align-items: center; background: #fff; border: 1px solid #ccd;
          padding: 6px 8px; }
        #replay input[type=range] { flex: 1; }
        #right { display: flex; flex-direction: column; gap: 8px; min-height: 0; overflow: auto; }
        section { background: #fff; border: 1px solid #ccd; padding: 6px 8px; }
        section h2 { font-size: 13px; margin: 0 0 4px; }
        table { border-collapse: collapse; width: 100%; }
        td, th { padding: 2px 4px; border-bottom: 1px solid #eee; text-align: left; white-space: nowrap; }
        tr.sel { background: #fff3c4; }
        tr[data-device] { cursor: pointer; }
        .moving { color: #1a7f37; } .stopped { color: #b35900; } .stale { color: #888; }
        #feed { list-style: none; margin: 0; padding: 0; max-height: 220px; overflow: auto; font-size: 12px; }
        #feed li { border-bottom: 1px solid #f0f0f0; padding: 1px 0; }
        .flag { color: #b00020; }
        </style>
        </head>
        <body>
        <header>
          <h1>Fieldtrace</h1>
          <label>Token <input id="token" type="password" placeholder="ft_..." autocomplete="off"></label>
          <button id="connect">Connect</button>
          <span id="status">not connected</span>
        </header>
        <main>
          <div id="left">
            <div id="mapbox"><canvas id="map"></canvas></div>
            <div id="replay">
              <label>Replay <select id="replay-device"><option value="">(worker)</option></select></label>
              <input id="replay-date" type="date">
              <button id="replay-load">Load day</button>
              <input id="replay-time" type="range" min="0" max="0" value="0" disabled>
              <span id="replay-clock">--:--:--</span>
            </div>
          </div>
          <div id="right">
            <section><h2>Workers <span id="worker-count">0</span></h2>
              <table><thead><tr><th>worker</th><th>state</th><th>seen</th><th>km/h</th></tr></thead>
              <tbody id="workers"></tbody></table></section>
            <section><h2>Events</h2><ul id="feed"></ul></section>
            <section><h2>Attendance <input id="att-date" type="date"> <button id="att-load">Load</button></h2>
              <table><thead><tr><th>worker</th><th>site</th><th>arrived</th><th>left</th><th>min</th><th>flags</th></tr>
              </thead><tbody id="attendance"></tbody></table></section>
          </div>
        </main>
        <script>
        "use strict";
        const state = { token: "", workers: new Map(), fences: [], track: null, selected: null, sources: [] };
        const $ = (id) => document.getElementById(id);

        function readToken() {
          const hash = new URLSearchParams(location.hash.slice(1));
          return hash.get("token") || localStorage.getItem("fieldtrace.token") || "";
        }

        async function api(path) {
          const response = await fetch(path, { headers: { Authorization: "Bearer " + state.token } });
          if (!response.ok) throw new Error(path + ": " + response.status);
          return response.json();
        }

        async function apiAll(path) {
          let items = [], cursor = null;
          do {
            const sep = path.includes("?") ? "&" : "?";
            const page = await api(path + sep + "limit=1000" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
            items = items.concat(page.items || []);
            cursor = page.next_cursor;
          } while (cursor);
          return items;
        }

        function status(text) { $("status").textContent = text; }

        // ---- projection: a local tangent plane around the fleet, north up, one scale on both axes
        function projection(canvas) {
          const pts = [];
          for (const w of state.workers.values()) pts.push([w.lat, w.lon]);
          if (state.track) for (const f of state.track) pts.push([f.lat, f.lon]);
          // The fences too: the view keeps the whole working area (sites, depots) in frame, so it
          // does not jump when everyone is parked at one depot.
          for (const f of state.fences) for (const p of fencePoints(f)) pts.push(p);
          if (!pts.length) pts.push([0, 0]);
          let [minLat, maxLat, minLon, maxLon] = [90, -90, 180, -180];
          for (const [la, lo] of pts) {
            minLat = Math.min(minLat, la); maxLat = Math.max(maxLat, la);
            minLon = Math.min(minLon, lo); maxLon = Math.max(maxLon, lo);
          }
          const lat0 = (minLat + maxLat) / 2, lon0 = (minLon + maxLon) / 2;
          const mLat = 6371008.8 * Math.PI / 180, mLon = mLat * Math.cos(lat0 * Math.PI / 180);
          const spanE = Math.max((maxLon - minLon) * mLon, 300), spanN = Math.max((maxLat - minLat) * mLat, 300);
          const w = canvas.width, h = canvas.height, margin = 30;
          const scale = Math.min((w - 2 * margin) / spanE, (h - 2 * margin) / spanN);
          return {
            scale,
            xy: (lat, lon) => [w / 2 + (lon - lon0) * mLon * scale, h / 2 - (lat - lat0) * mLat * scale],
          };
        }

        function fencePoints(f) {
          const g = f.geometry || {};
          if (g.type === "Point") return [[g.coordinates[1], g.coordinates[0]]];
          if (g.type === "LineString") return g.coordinates.map((c) => [c[1], c[0]]);
          if (g.type === "Polygon") return g.coordinates.flat().map((c) => [c[1], c[0]]);
          if (g.type === "MultiPolygon") return g.coordinates.flat(2).map((c) => [c[1], c[0]]);
          return [];
        }

        function drawFence(ctx, p, f) {
          const g = f.geometry || {}, props = f.properties || {};
          ctx.fillStyle = "rgba(49,130,189,0.15)"; ctx.strokeStyle = "#3182bd"; ctx.lineWidth = 1;
          if (g.type === "Point") {
            const [x, y] = p.xy(g.coordinates[1], g.coordinates[0]);
            ctx.beginPath(); ctx.arc(x, y, Math.max(2, (props.radius_m || 50) * p.scale), 0, 2 * Math.PI);
            ctx.fill(); ctx.stroke();
          } else if (g.type === "LineString") {
            ctx.strokeStyle = "rgba(49,130,189,0.35)"; ctx.lineWidth = Math.max(1, (props.width_m || 20) * p.scale);
            ctx.beginPath();
            g.coordinates.forEach((c, i) => { const [x, y] = p.xy(c[1], c[0]); i ? ctx.lineTo(x, y) : ctx.moveTo(x, y); });
            ctx.stroke();
          } else {
            const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
            for (const rings of polys) {
              ctx.beginPath();
              for (const ring of rings) ring.forEach((c, i) => {
                const [x, y] = p.xy(c[1], c[0]); i ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
              });
              ctx.fill("evenodd"); ctx.stroke();
            }
          }
          const first = fencePoints(f)[0];
          if (first) {
            const [x, y] = p.xy(first[0], first[1]);
            ctx.fillStyle = "#08519c"; ctx.fillText(props.name || f.id || props.id || "", x + 4, y - 4);
          }
        }

        function roundLength(m) {
          let unit = 1; while (unit * 10 <= m) unit *= 10;
          for (const k of [5, 2, 1]) if (k * unit <= m) return k * unit;
          return unit;
        }

        function draw() {
          const canvas = $("map"), box = $("mapbox");
          canvas.width = box.clientWidth; canvas.height = box.clientHeight;
          const ctx = canvas.getContext("2d"), p = projection(canvas);
          ctx.font = "11px sans-serif";
          for (const f of state.fences) drawFence(ctx, p, f);
          let replayAt = null;
          if (state.track && state.track.length) {
            ctx.strokeStyle = "#333"; ctx.lineWidth = 1.5; ctx.beginPath();
            state.track.forEach((f, i) => { const [x, y] = p.xy(f.lat, f.lon); i ? ctx.lineTo(x, y) : ctx.moveTo(x, y); });
            ctx.stroke();
            replayAt = state.track[Math.min(state.track.length - 1, +$("replay-time").value)];
            const [x, y] = p.xy(replayAt.lat, replayAt.lon);
            ctx.fillStyle = "#d7301f"; ctx.beginPath(); ctx.arc(x, y, 6, 0, 2 * Math.PI); ctx.fill();
          }
          let drawn = 0;
          const now = fleetNow();
          for (const w of state.workers.values()) {
            const [x, y] = p.xy(w.lat, w.lon);
            const stale = now - w.time > 600000;
            ctx.fillStyle = stale ? "#999" : (w.speed_mps || 0) >= 1 ? "#1a7f37" : "#e6550d";
            ctx.beginPath(); ctx.arc(x, y, w.device === state.selected ? 6 : 4, 0, 2 * Math.PI); ctx.fill();
            if (w.device === state.selected) { ctx.fillStyle = "#000"; ctx.fillText(w.device, x + 7, y + 3); }
            drawn++;
          }
          canvas.dataset.drawnWorkers = String(drawn);
          // scale bar
          const meters = roundLength(canvas.width / 5 / p.scale), len = meters * p.scale, y0 = canvas.height - 14;
          ctx.strokeStyle = "#111"; ctx.lineWidth = 2; ctx.beginPath();
          ctx.moveTo(12, y0 - 5); ctx.lineTo(12, y0); ctx.lineTo(12 + len, y0); ctx.lineTo(12 + len, y0 - 5); ctx.stroke();
          ctx.fillStyle = "#111"; ctx.fillText(meters >= 1000 ? meters / 1000 + " km" : meters + " m", 18 + len, y0);
        }

        // ---- workers
        // The clock a worker's age is read against: the wall clock, unless the whole fleet is more
        // than 10 minutes behind it (a replayed day, a backlog being delivered): then the newest fix
        // of the fleet, so that moving, stopped and stale keep their meaning. The status line says so.
        function fleetNow() {
          const now = Date.now();
          let newest = 0;
          for (const w of state.workers.values()) newest = Math.max(newest, w.time);
          return newest > 0 && now - newest > 600000 ? newest : now;
        }

        function upsertWorker(fix) {
          const time = Date.parse(fix.time);
          const old = state.workers.get(fix.device);
          if (old && old.time > time) return;
          state.workers.set(fix.device, { device: fix.device, lat: fix.lat, lon: fix.lon, time, speed_mps: fix.speed_mps });
        }

        function renderWorkers() {
          const rows = [...state.workers.values()].sort((a, b) => a.device.localeCompare(b.device));
          const now = fleetNow();
          if (now < Date.now() && state.sources.length) {
            status("connected; fleet clock " + new Date(now).toISOString().slice(0, 16).replace("T", " ")
              + " UTC (the newest fix, " + Math.round((Date.now() - now) / 60000) + " min behind the wall clock)");
          }
          $("worker-count").textContent = String(rows.length);
          $("workers").innerHTML = "";
          const select = $("replay-device"), known = new Set([...select.options].map((o) => o.value));
          for (const w of rows) {
            const age = Math.max(0, Math.round((now - w.time) / 1000));
            const st = age > 600 ? "stale" : (w.speed_mps || 0) >= 1 ? "moving" : "stopped";
            const tr = document.createElement("tr");
            tr.dataset.device = w.device;
            tr.dataset.lat = String(w.lat); tr.dataset.lon = String(w.lon); tr.dataset.time = String(w.time);
            if (w.device === state.selected) tr.className = "sel";
            const seen = age < 120 ? age + " s" : Math.round(age / 60) + " min";
            const kmh = w.speed_mps == null ? "" : Math.round(w.speed_mps * 3.6);
            tr.innerHTML = `<td></td><td class="${st}">${st}</td><td>${seen}</td><td>${kmh}</td>`;
            tr.firstChild.textContent = w.device;
            tr.onclick = () => { state.selected = w.device; select.value = w.device; renderWorkers(); draw(); };
            $("workers").appendChild(tr);
            if (!known.has(w.device)) {
              const o = document.createElement("option");
              o.value = o.textContent = w.device;
              select.appendChild(o);
            }
          }
        }

        function addEvent(e) {
          const li = document.createElement("li");
          const t = (e.time || "").slice(11, 19);
          const what = e.fence || e.route || e.subject || "";
          li.textContent = `${t} ${e.device || ""} ${e.kind || ""} ${what}${e.late ? " (late)" : ""}`;
          li.dataset.kind = e.kind || "";
          $("feed").prepend(li);
          while ($("feed").children.length > 200) $("feed").lastChild.remove();
        }

        // ---- live streams (EventSource cannot send headers: the token goes in the query)
        function openStreams() {
          for (const s of state.sources) s.close();
          state.sources = [];
          const q = "access_token=" + encodeURIComponent(state.token);
          const positions = new EventSource("/v1/positions/stream?" + q);
          positions.addEventListener("positions", (m) => {
            for (const fix of JSON.parse(m.data).items || []) upsertWorker(fix);
            renderWorkers(); draw();
          });
          positions.onerror = () => status("position stream reconnecting");
          const events = new EventSource("/v1/events/stream?" + q);
          events.onmessage = (m) => addEvent(JSON.parse(m.data));
          for (const kind of ["geofence.enter", "geofence.exit", "geofence.dwell", "stop.start", "stop.end", "trip",
            "deviation.start", "deviation.end", "device.online", "device.offline", "overspeed.start", "overspeed.end",
            "long_stay", "correction.retract"]) {
            events.addEventListener(kind, (m) => addEvent(JSON.parse(m.data)));
          }
          state.sources.push(positions, events);
        }

        // ---- replay
        async function loadReplay() {
          const device = $("replay-device").value, date = $("replay-date").value;
          if (!device || !date) return;
          const from = date + "T00:00:00Z", to = new Date(Date.parse(from) + 86400000).toISOString();
          const path = `/v1/devices/${encodeURIComponent(device)}/track`;
          const body = await api(`${path}?from=${from}&to=${to}&format=json&smooth=kalman`);
          state.track = (body.fixes || []).map((f) => ({ lat: f.lat, lon: f.lon, time: f.time }));
          state.selected = device;
          const slider = $("replay-time");
          slider.max = String(Math.max(0, state.track.length - 1));
          slider.value = "0";
          slider.disabled = !state.track.length;
          updateClock(); draw();
        }

        function updateClock() {
          const f = state.track && state.track[+$("replay-time").value];
          $("replay-clock").textContent = f ? f.time.slice(11, 19) : "--:--:--";
        }

        // ---- attendance
        async function loadAttendance() {
          const date = $("att-date").value;
          const body = await api("/v1/reports/attendance?format=json&date=" + date);
          $("attendance").innerHTML = "";
          for (const w of body.workers || []) {
            const sites = w.sites && w.sites.length ? w.sites : [{ site: "", first_arrival: null, last_departure: null }];
            for (const s of sites) {
              const tr = document.createElement("tr");
              tr.dataset.device = w.device;
              const cells = [w.device, s.site, (s.first_arrival || "").slice(11, 16),
                (s.last_departure || "").slice(11, 16), s.on_site_minutes == null ? "" : Math.round(s.on_site_minutes),
                (w.flags || []).map((f) => f.kind).join(" ")];
              for (const c of cells) { const td = document.createElement("td"); td.textContent = c; tr.appendChild(td); }
              tr.lastChild.className = "flag";
              $("attendance").appendChild(tr);
            }
          }
        }

        async function connect() {
          state.token = $("token").value.trim();
          localStorage.setItem("fieldtrace.token", state.token);
          try {
            const fences = await api("/v1/geofences?format=geojson&limit=1000");
            state.fences = fences.features || [];
            for (const fix of await apiAll("/v1/positions/latest")) upsertWorker(fix);
            // Reports and replay default to the day of the newest data (a replayed demo day may be
            // the previous weekday), else today.
            const newest = Math.max(0, ...[...state.workers.values()].map((w) => w.time));
            if (newest > 0) $("att-date").value = $("replay-date").value = new Date(newest).toISOString().slice(0, 10);
            renderWorkers(); draw(); openStreams();
            status("connected: " + state.workers.size + " workers, " + state.fences.length + " fences");
            await loadAttendance();
          } catch (error) { status(String(error)); }
        }

        const today = new Date().toISOString().slice(0, 10);
        $("replay-date").value = today; $("att-date").value = today;
        $("token").value = readToken();
        $("connect").onclick = connect;
        $("replay-load").onclick = () => loadReplay().catch((e) => status(String(e)));
        $("replay-time").oninput = () => { updateClock(); draw(); };
        $("att-load").onclick = () => loadAttendance().catch((e) => status(String(e)));
        window.onresize = draw;
        setInterval(renderWorkers, 5000);
        if ($("token").value) connect(); else draw();
        </script>
        </body>
        </html>
        """#
}
