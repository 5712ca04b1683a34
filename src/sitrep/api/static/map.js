/* The offline base map shared by the workspace and the event page: country outlines from
   world-atlas (no tile server), event-type colours, and how an event is drawn: a circle at
   its place when the place is exact (geo_precision 1), a dashed area when only the region
   is known (2: about 25 km, 3: a province, about 100 km). */
"use strict";

const SitrepMap = (() => {
  const TYPES = [
    "Battles", "Explosions/Remote violence", "Violence against civilians",
    "Protests", "Riots", "Strategic developments",
  ];
  const COLOURS = ["#c0392b", "#e67e22", "#8e44ad", "#2471a3", "#17a589", "#5d6d7e"];
  const REGION_METRES = { 2: 25000, 3: 100000 };

  function colour(type) {
    const index = TYPES.indexOf(type);
    return index >= 0 ? COLOURS[index] : "#333";
  }

  /* A map with no tiles; the country outlines arrive in the background, under the events. */
  function create(element, options = {}) {
    const map = L.map(element, { worldCopyJump: true, minZoom: 2, maxZoom: 13, ...options });
    map.attributionControl.addAttribution("Natural Earth via world-atlas");
    map.setView([33.5, 41], 5);
    map.createPane("outlines").style.zIndex = 250;
    map.outlines = fetch("/vendor/world-atlas/countries-50m.json")
      .then((response) => response.json())
      .then((topology) => {
        L.geoJSON(topojson.feature(topology, topology.objects.countries), {
          pane: "outlines",
          style: { color: "#aab7b8", weight: 0.8, fillColor: "#fdfefe", fillOpacity: 1 },
          interactive: false,
        }).addTo(map);
      })
      .catch((error) => console.warn("no country outlines:", error));
    return map;
  }

  function radius(fatalities) {
    return 5 + 3 * Math.log2(1 + (fatalities || 0)); // 1 killed: 8 px, 100: 25 px
  }

  /* One Leaflet layer for one event point of /api/events?format=points (as an object). */
  function layer(point) {
    const fill = colour(point.event_type);
    const metres = REGION_METRES[point.geo_precision];
    const drawn = metres
      ? L.circle([point.lat, point.lon], {
          radius: metres, color: fill, weight: 1.5, dashArray: "4 4", fillOpacity: 0.12,
          className: "event-region",
        })
      : L.circleMarker([point.lat, point.lon], {
          radius: radius(point.fatalities), color: "#fff", weight: 1, fillColor: fill,
          fillOpacity: 0.85, className: "event-point",
        });
    drawn.eventId = point.id;
    drawn.bindPopup(() => popup(point));
    return drawn;
  }

  function popup(point) {
    const box = document.createElement("div");
    const title = document.createElement("a");
    title.href = `/events/${encodeURIComponent(point.id)}`;
    title.textContent = point.sub_event_type;
    const lines = [
      point.event_type,
      `${point.location || "?"}${point.geo_precision > 1 ? " (region only)" : ""}`,
      `${point.date_earliest || "undated"}${point.fatalities != null ? ` · ${point.fatalities} killed` : ""}`,
    ];
    box.append(title);
    for (const line of lines) {
      const div = document.createElement("div");
      div.textContent = line;
      box.append(div);
    }
    return box;
  }

  /* The points of an answer of /api/events?format=points, as objects. */
  function points(answer) {
    return answer.points.map((values) =>
      Object.fromEntries(answer.fields.map((name, index) => [name, values[index]])));
  }

  return { create, layer, points, colour, TYPES };
})();
