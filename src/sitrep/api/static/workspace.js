/* The workspace: filters drive the map, the timeline, the counts and the table together.
   The table is rendered by the server (/partials/events) and swapped in; the map and the
   timeline read the API (/api/events?format=geojson, /api/summary) with the same filters. */
"use strict";

(() => {
  const form = document.getElementById("filters");
  const tableBox = document.getElementById("table");
  const svg = document.getElementById("timeline");
  const clearBrush = document.getElementById("clear-brush");
  const DAY = 86400000;
  const MAP_LIMIT = 10000;
  let map = null;
  let cluster = null;
  let regions = null;
  const layers = new Map();
  let days = [];
  let span = null;
  let started = false;

  function filters({ withDates = true } = {}) {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (value === "" || (!withDates && (key === "since" || key === "until"))) continue;
      params.set(key, value);
    }
    return params;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    return body;
  }

  async function loadTable(query) {
    const response = await fetch(`/partials/events?${query}`);
    tableBox.innerHTML = await response.text(); // server-rendered and escaped
    tableBox.dataset.loaded = query;
  }

  async function loadMap(params) {
    const query = new URLSearchParams(params);
    query.set("format", "points");
    query.set("limit", String(MAP_LIMIT));
    const answer = await getJSON(`/api/events?${query}`);
    cluster.clearLayers();
    regions.clearLayers();
    layers.clear();
    const placed = [];
    const pins = [];
    for (const point of SitrepMap.points(answer)) {
      const drawn = SitrepMap.layer(point);
      layers.set(point.id, drawn);
      if (drawn instanceof L.Circle) regions.addLayer(drawn);
      else pins.push(drawn);
      placed.push(drawn.getLatLng());
      drawn.on("click", () => selectRow(point.id));
    }
    cluster.addLayers(pins); // in bulk: clustering 10,000 points one by one takes seconds
    const unplaced = answer.total - placed.length;
    const note = document.getElementById("unplaced");
    if (placed.length >= MAP_LIMIT) {
      note.textContent = `The map shows the first ${MAP_LIMIT} placed events of ${answer.total}: narrow the filters to see the rest.`;
    } else {
      note.textContent = unplaced > 0 ? `${unplaced} of ${answer.total} events have no place and are not on the map` : "";
    }
    document.getElementById("map").dataset.events = String(layers.size);
    if (placed.length) map.fitBounds(L.latLngBounds(placed).pad(0.2), { maxZoom: 8 });
  }

  async function loadCounts(params) {
    const summary = await getJSON(`/api/summary?${params}`);
    const box = document.getElementById("counts");
    const range = summary.first_date ? ` · ${summary.first_date} to ${summary.last_date}` : "";
    box.textContent = `${summary.events} events shown · ${summary.fatalities} killed${range}`;
  }

  async function loadTimeline(params) {
    const summary = await getJSON(`/api/summary?${params}`);
    days = Object.entries(summary.by_day).map(([day, n]) => [Date.parse(day), n]);
    drawTimeline();
  }

  function buckets() {
    if (!days.length) return { size: DAY, bars: [] };
    const first = days[0][0];
    const last = days[days.length - 1][0];
    const size = last - first > 180 * DAY ? 7 * DAY : DAY;
    document.getElementById("bucket").textContent = size === DAY ? "day" : "week";
    const counts = new Map();
    for (const [time, n] of days) {
      const start = first + Math.floor((time - first) / size) * size;
      counts.set(start, (counts.get(start) || 0) + n);
    }
    return { size, first, last: last + size, bars: [...counts.entries()] };
  }

  function drawTimeline() {
    const width = svg.clientWidth || 800;
    const height = svg.clientHeight || 90;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.replaceChildren();
    const { size, first, last, bars } = buckets();
    svg.dataset.bars = String(bars.length);
    if (!bars.length) return;
    const scale = (time) => 20 + ((time - first) / (last - first)) * (width - 40);
    svg.timeAt = (x) => first + ((x - 20) / (width - 40)) * (last - first);
    const top = Math.max(...bars.map(([, n]) => n));
    for (const [start, n] of bars) {
      const bar = element("rect", {
        x: scale(start), width: Math.max(scale(start + size) - scale(start) - 1, 1),
        y: height - 16 - (n / top) * (height - 24), height: (n / top) * (height - 24),
        class: "bar",
      });
      const inside = span && start + size > span[0] && start <= span[1];
      if (inside) bar.classList.add("in");
      const label = element("title", {});
      label.textContent = `${iso(start)}: ${n} events`;
      bar.append(label);
      svg.append(bar);
    }
    for (const [time, anchor] of [[first, "start"], [last, "end"]]) {
      const text = element("text", { x: scale(time), y: height - 3, "text-anchor": anchor });
      text.textContent = iso(anchor === "end" ? time - size : time);
      svg.append(text);
    }
    if (span) {
      const x0 = scale(Math.max(span[0], first));
      const x1 = scale(Math.min(span[1] + DAY, last));
      svg.append(element("rect", { x: x0, width: Math.max(x1 - x0, 2), y: 0, height, class: "brush" }));
    }
  }

  function element(name, attributes) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    return node;
  }

  function iso(time) {
    return new Date(time).toISOString().slice(0, 10);
  }

  function brushing() {
    let start = null;
    const x = (event) => {
      const box = svg.getBoundingClientRect();
      return ((event.clientX - box.left) / box.width) * (svg.viewBox.baseVal.width || box.width);
    };
    svg.addEventListener("pointerdown", (event) => {
      if (!svg.timeAt) return;
      start = x(event);
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", (event) => {
      if (start === null) return;
      const [a, b] = [start, x(event)].sort((p, q) => p - q);
      span = [svg.timeAt(a), svg.timeAt(b)];
      drawTimeline();
    });
    svg.addEventListener("pointerup", (event) => {
      if (start === null) return;
      const [a, b] = [start, x(event)].sort((p, q) => p - q);
      start = null;
      if (b - a < 3) return;
      span = [svg.timeAt(a), svg.timeAt(b)];
      form.elements.since.value = iso(span[0]);
      form.elements.until.value = iso(span[1]);
      apply({ timeline: false });
    });
    clearBrush.addEventListener("click", () => {
      form.elements.since.value = "";
      form.elements.until.value = "";
      span = null;
      apply({ timeline: false });
    });
  }

  function spanFromForm() {
    const since = form.elements.since.value;
    const until = form.elements.until.value;
    span = since || until
      ? [since ? Date.parse(since) : -Infinity, until ? Date.parse(until) : Infinity]
      : null;
    clearBrush.hidden = !span;
  }

  async function apply({ timeline = true, table = null, redraw = true } = {}) {
    const params = filters();
    spanFromForm();
    history.replaceState(null, "", `/?${params}`);
    const work = [loadCounts(params), loadTable(table || params.toString())];
    if (redraw) work.push(loadMap(params));
    if (timeline) work.push(loadTimeline(filters({ withDates: false })));
    else drawTimeline();
    await Promise.all(work);
    if (started) document.body.dataset.ready = "true"; // the first load waits for outlines
  }

  function selectRow(id) {
    for (const row of tableBox.querySelectorAll("tr.selected")) row.classList.remove("selected");
    const row = tableBox.querySelector(`tr[data-id="${CSS.escape(id)}"]`);
    if (row) {
      row.classList.add("selected");
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function showOnMap(id) {
    const drawn = layers.get(id);
    if (!drawn) return;
    if (cluster.hasLayer(drawn)) cluster.zoomToShowLayer(drawn, () => drawn.openPopup());
    else {
      map.setView(drawn.getLatLng(), Math.max(map.getZoom(), 7));
      drawn.openPopup();
    }
  }

  tableBox.addEventListener("click", (event) => {
    const link = event.target.closest("a.sort-link, a.page-link");
    if (link) {
      event.preventDefault();
      const query = new URLSearchParams(link.dataset.query);
      if (link.classList.contains("sort-link")) form.elements.sort.value = query.get("sort");
      loadTable(link.dataset.query);
      return;
    }
    const row = event.target.closest("tr[data-id]");
    if (row && !event.target.closest("a")) {
      selectRow(row.dataset.id);
      showOnMap(row.dataset.id);
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
  form.addEventListener("change", (event) => {
    if (event.target.name === "q" || event.target.name === "actor") return; // on Enter
    apply({ timeline: !["since", "until"].includes(event.target.name) });
  });
  window.addEventListener("resize", drawTimeline);

  /* "only in the map's view": the table and the counts follow the map as it moves. */
  const inView = document.getElementById("in-view");
  function viewBox() {
    const box = map.getBounds();
    const clamp = (value, limit) => Math.max(-limit, Math.min(limit, value)).toFixed(4);
    const west = box.getWest() < -180 || box.getEast() > 180 ? -180 : box.getWest();
    const east = box.getWest() < -180 || box.getEast() > 180 ? 180 : box.getEast();
    return [clamp(west, 180), clamp(box.getSouth(), 90), clamp(east, 180), clamp(box.getNorth(), 90)].join(",");
  }
  function followView() {
    form.elements.bbox.value = inView.checked ? viewBox() : "";
    apply({ timeline: false, redraw: false });
  }
  inView.addEventListener("change", (event) => {
    event.stopPropagation();
    followView();
  });

  map = SitrepMap.create("map");
  map.on("moveend", () => {
    if (inView.checked && started) followView();
  });
  cluster = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
  regions = L.featureGroup();
  map.addLayer(regions);
  map.addLayer(cluster);
  brushing();
  Promise.all([apply(), map.outlines])
    .catch((error) => {
      const box = document.getElementById("counts");
      box.textContent = `Could not load the events: ${error.message}`;
      box.className = "counts alert";
    })
    .finally(() => {
      started = true;
      document.body.dataset.ready = "true";
    });
})();
