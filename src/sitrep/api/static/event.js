/* The event page: scroll to the evidence, and the review form (confirm, correct or reject,
   the place typed and looked up in the gazetteer or picked on the map). */
"use strict";

(() => {
  const form = document.getElementById("review");
  const message = document.getElementById("review-message");
  const corrections = document.getElementById("corrections");
  const codebook = JSON.parse(form.dataset.codebook);
  const subtypes = form.elements.sub_event_type;
  const choices = document.getElementById("place-choices");
  let picked = null;
  let pickMap = null;
  let pickMarker = null;

  const evidence = document.getElementById("evidence");
  const articleBox = document.getElementById("article-text");
  if (evidence) articleBox.scrollTop = evidence.offsetTop - articleBox.offsetTop - articleBox.clientHeight / 3;
  form.elements.token.value = sessionStorage.getItem("sitrep-token") || "";
  form.elements.reviewer.value = localStorage.getItem("sitrep-reviewer") || "";

  function fillSubtypes() {
    const current = subtypes.dataset.current;
    subtypes.replaceChildren(
      ...codebook[form.elements.event_type.value].map((sub) => {
        const option = document.createElement("option");
        option.textContent = sub;
        option.selected = sub === current;
        return option;
      }),
    );
  }
  fillSubtypes();
  form.elements.event_type.addEventListener("change", fillSubtypes);

  for (const radio of form.elements.action) {
    radio.addEventListener("change", () => {
      corrections.disabled = form.elements.action.value !== "correct";
      if (!corrections.disabled && !pickMap) startPickMap();
    });
  }

  function choose(place) {
    picked = place;
    form.elements.place.value = place.name;
    choices.replaceChildren();
    const note = document.createElement("li");
    note.textContent = `${place.name}, ${place.admin1 || ""} ${place.country || ""} (${place.lat}, ${place.lon}; geo_precision ${place.geo_precision})`;
    note.className = "muted";
    choices.append(note);
    if (pickMap) {
      pickMarker?.remove();
      pickMarker = L.circleMarker([place.lat, place.lon], { radius: 7, color: "#1a5276" }).addTo(pickMap);
      pickMap.setView([place.lat, place.lon], Math.max(pickMap.getZoom(), 8));
    }
  }

  function offer(places) {
    choices.replaceChildren();
    if (!places.length) {
      const none = document.createElement("li");
      none.textContent = "No such place in the gazetteer.";
      choices.append(none);
    }
    for (const place of places) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      const far = place.distance_km != null ? ` — ${place.distance_km} km` : "";
      button.textContent = `${place.name} (${place.kind}, ${place.admin1 || "?"}, ${place.country || "?"}${far})`;
      button.addEventListener("click", () => choose(place));
      item.append(button);
      choices.append(item);
    }
  }

  async function places(query) {
    const response = await fetch(`/api/places?${query}`);
    const body = await response.json();
    if (!response.ok) throw new Error(body.error);
    return body.places;
  }

  document.getElementById("find-place").addEventListener("click", async () => {
    const name = form.elements.place.value.trim();
    if (name) offer(await places(new URLSearchParams({ q: name })));
  });

  function startPickMap() {
    const box = document.getElementById("pick-map");
    pickMap = SitrepMap.create(box);
    const lat = parseFloat(box.dataset.lat);
    const lon = parseFloat(box.dataset.lon);
    if (!Number.isNaN(lat)) {
      pickMap.setView([lat, lon], 7);
      pickMarker = L.circleMarker([lat, lon], { radius: 7, color: "#c0392b" }).addTo(pickMap);
    }
    pickMap.on("click", async (event) => {
      const { lat: y, lng: x } = event.latlng.wrap();
      offer(await places(new URLSearchParams({ lat: y.toFixed(5), lon: x.toFixed(5), limit: 5 })));
    });
  }

  function changes() {
    const given = {};
    const value = (name) => form.elements[name].value.trim();
    const initial = (name) => form.elements[name].defaultValue.trim();
    if (value("event_type") !== form.elements.event_type.querySelector("[selected]")?.value
        || value("sub_event_type") !== subtypes.dataset.current) {
      given.event_type = value("event_type");
      given.sub_event_type = value("sub_event_type");
    }
    for (const name of ["actor1", "actor2"]) {
      if (value(name) !== initial(name)) given[name] = value(name);
    }
    if (picked) {
      given.location = {
        name: picked.name, lat: picked.lat, lon: picked.lon, country: picked.country,
        admin1: picked.admin1, geonames_id: picked.geonames_id, geo_precision: picked.geo_precision,
      };
    } else if (value("place") !== initial("place")) {
      given.location = { name: value("place") };
    }
    if (value("earliest") !== initial("earliest") || value("latest") !== initial("latest")) {
      given.date = { earliest: value("earliest") || null, latest: value("latest") || value("earliest") || null };
    }
    if (value("fatalities") !== initial("fatalities") && value("fatalities") !== "") {
      given.fatalities = Number(value("fatalities"));
    }
    return given;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.className = "message";
    const action = form.elements.action.value;
    const body = {
      action,
      reviewer: form.elements.reviewer.value.trim(),
      note: form.elements.note.value.trim() || null,
    };
    if (action === "correct") body.changes = changes();
    sessionStorage.setItem("sitrep-token", form.elements.token.value);
    localStorage.setItem("sitrep-reviewer", body.reviewer);
    const response = await fetch(`/api/events/${encodeURIComponent(form.dataset.event)}/review`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: `Bearer ${form.elements.token.value}`,
      },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) {
      message.textContent = `Not saved: ${answer.error}`;
      message.className = "message error";
      return;
    }
    message.textContent = "Saved.";
    location.reload();
  });
  document.body.dataset.ready = "true";
})();
