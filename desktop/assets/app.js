/* Bia's page. It holds no secret: every call goes to Python (window.pywebview.api),
   which answers with plain objects. The page is built with textContent only, never
   from HTML strings, so nothing a user typed can become markup. */
"use strict";

/* pywebview 6 builds window.pywebview.api's functions with the Function constructor, which
   the page's Content-Security-Policy (script-src 'self', no 'unsafe-eval') forbids, so
   the API would never appear. Its object is caught as it is assigned and given a
   builder made of plain closures that call the same bridge. */
(() => {
  let held;
  function createApi(funcList) {
    const pv = window.pywebview;
    for (const { func } of funcList) {
      const parts = func.split(".");
      const name = parts.pop();
      const target = parts.reduce((obj, part) => (obj[part] = obj[part] || {}), pv.api);
      pv._returnValuesCallbacks[func] = {};
      target[name] = (...args) => {
        const id = String(Math.random()).slice(2);
        const promise = new Promise((resolve, reject) => pv._checkValue(func, resolve, reject, id));
        pv._jsApiCallback(func, args, id);
        return promise;
      };
    }
  }
  Object.defineProperty(window, "pywebview", {
    configurable: true,
    get: () => held,
    set: (value) => {
      if (value && typeof value._createApi === "function") value._createApi = createApi;
      held = value;
    },
  });
})();

(() => {
  const $ = (id) => document.getElementById(id);
  const KIND_NAMES = {
    meal: "Meal", symptom: "Symptom", bowel_movement: "Bowel movement",
    dose: "Dose", context: "The day", note: "Note",
  };
  const BRISTOL = {
    1: "hard lumps", 2: "lumpy sausage", 3: "cracked sausage", 4: "smooth, soft",
    5: "soft blobs", 6: "mushy", 7: "watery",
  };
  const state = {
    api: null, day: todayISO(), view: "day", form: "meal", items: [],
    editing: null, results: [], active: -1, locked: false, lastActivity: 0,
  };

  function pad(n) { return String(n).padStart(2, "0"); }
  function todayISO() { const d = new Date(); return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`; }
  function nowLocal(day) {
    const d = new Date();
    const hhmm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
    return `${day || todayISO()}T${hhmm}`;
  }
  function addDays(iso, n) {
    const [y, m, d] = iso.split("-").map(Number);
    const t = new Date(y, m - 1, d + n);
    return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
  }
  function longDay(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(y, m - 1, d).toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long" });
  }
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "class") el.className = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) el.append(c);
    return el;
  }
  function say(text, kind) {
    const el = $("form-message");
    el.textContent = text;
    el.className = `form-message ${kind || ""}`;
  }

  async function call(path, ...args) {
    let fn = state.api;
    for (const part of path.split(".")) fn = fn[part];
    try {
      const answer = await fn(...args);
      if (answer && answer.locked && !state.locked) showLock("");
      return answer;
    } catch (err) {
      return { ok: false, error: `Something went wrong inside Bia: ${err.message || err}` };
    }
  }

  /* ---------- forms ---------- */
  function showForm(kind, entry) {
    state.form = kind;
    document.querySelectorAll(".quick button").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.form === kind)));
    document.querySelectorAll(".entry-form").forEach((f) => f.classList.toggle("hidden", f.dataset.kind !== kind));
    const form = $(`form-${kind}`);
    resetForm(form, entry);
    const first = form.querySelector("[data-first]");
    if (first) first.focus();
  }

  function resetForm(form, entry) {
    form.reset();
    state.editing = entry ? entry.entry_id : null;
    form.querySelector(".editing").classList.toggle("hidden", !entry);
    for (const input of form.querySelectorAll("input[type=datetime-local]")) input.value = nowLocal(state.day);
    for (const input of form.querySelectorAll("input[type=date]")) input.value = state.day;
    if (form.dataset.kind === "meal") {
      state.items = entry ? entry.items.map((i) => ({ ...i })) : [];
      renderItems();
      $("food-search").value = "";
      renderResults([]);
    }
    if (entry) {
      for (const el of form.elements) {
        if (!el.name || !(el.name in entry) || entry[el.name] === null) continue;
        const value = entry[el.name];
        if (el.type === "checkbox") el.checked = Boolean(value);
        else if (el.type === "radio") el.checked = String(value) === el.value;
        else if (el.type === "datetime-local") el.value = localStamp(value);
        else el.value = value;
      }
    }
    updateOutputs();
    say("");
  }

  function updateOutputs() {
    $("severity-value").textContent = $("severity").value;
    $("stress-value").textContent = $("stress").value;
  }

  function collect(form) {
    const kind = form.dataset.kind;
    const entry = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      if (el.type === "checkbox") entry[el.name] = el.checked;
      else if (el.type === "radio") { if (el.checked) entry[el.name] = el.value; }
      else if (el.type === "range" || el.type === "number") entry[el.name] = el.value === "" ? null : Number(el.value);
      else entry[el.name] = el.value;
    }
    if (kind === "meal") entry.items = state.items.map((i) => ({ ...i, amount: Number(i.amount) }));
    if (kind === "bowel_movement" && entry.bristol) entry.bristol = Number(entry.bristol);
    for (const key of ["time", "onset"]) if (entry[key] && entry[key].length === 16) entry[key] += ":00";
    return entry;
  }

  async function save(form) {
    const kind = form.dataset.kind;
    if (kind === "bowel_movement" && !form.querySelector("input[name=bristol]:checked")) {
      say("Choose a Bristol type (1–7).", "error");
      return;
    }
    const answer = await call("journal.save", kind, collect(form), state.editing);
    if (!answer.ok) { say(answer.error, "error"); return; }
    say(answer.pending ? `${KIND_NAMES[kind]} saved on this computer; it will be sent when Bia can reach your server.`
      : `${KIND_NAMES[kind]} saved.`, "ok");
    const message = $("form-message").textContent;
    resetForm(form, null);
    say(message, "ok");
    await refresh();
  }

  /* ---------- meal: search, favourites, items ---------- */
  let searchTimer = 0;
  function onSearchInput() {
    clearTimeout(searchTimer);
    const query = $("food-search").value.trim();
    if (!query) { renderResults([]); return; }
    searchTimer = setTimeout(async () => {
      const answer = await call("catalog.search", query, 8);
      if ($("food-search").value.trim() !== query) return; // a newer search is on its way
      if (answer.ok) renderResults(answer.foods);
      else renderResults([], answer.error);
    }, 120);
  }

  function renderResults(foods, error) {
    state.results = foods;
    state.active = foods.length ? 0 : -1;
    const list = $("food-results");
    list.replaceChildren();
    if (error) list.append(h("li", { class: "hint", text: error }));
    foods.forEach((food, i) => {
      const li = h("li", { role: "option", id: `food-${i}`, onmousedown: (e) => { e.preventDefault(); addFood(food); } },
        food.name, food.fodmap && food.fodmap.length ? h("span", { class: "fodmap", text: food.fodmap.join(", ") }) : null);
      list.append(li);
    });
    highlight();
  }

  function highlight() {
    document.querySelectorAll("#food-results li[role=option]").forEach((li, i) => li.classList.toggle("active", i === state.active));
    $("food-search").setAttribute("aria-activedescendant", state.active >= 0 ? `food-${state.active}` : "");
  }

  function onSearchKey(e) {
    if (e.key === "ArrowDown" && state.results.length) { state.active = (state.active + 1) % state.results.length; highlight(); e.preventDefault(); }
    else if (e.key === "ArrowUp" && state.results.length) { state.active = (state.active - 1 + state.results.length) % state.results.length; highlight(); e.preventDefault(); }
    else if (e.key === "Enter" && !e.ctrlKey) {
      e.preventDefault();
      if (state.active >= 0) addFood(state.results[state.active]);
    } else if (e.key === "Escape") { $("food-search").value = ""; renderResults([]); }
  }

  function addFood(food) {
    state.items.push({ food_id: food.food_id || null, name: food.name, amount: food.amount || 1, unit: food.unit || "portion" });
    $("food-search").value = "";
    renderResults([]);
    renderItems();
    $("food-search").focus();
  }

  const UNITS = ["portion", "g", "ml", "piece", "slice", "cup", "tbsp", "tsp"];
  function renderItems() {
    const list = $("meal-items");
    list.replaceChildren();
    if (!state.items.length) list.append(h("li", { class: "hint", text: "No food yet: search above or pick a favourite." }));
    state.items.forEach((item, i) => {
      const amount = h("input", { type: "number", min: "0", step: "any", value: String(item.amount), "aria-label": `Amount of ${item.name}`,
        oninput: (e) => { item.amount = e.target.value; } });
      const unit = h("select", { "aria-label": `Unit for ${item.name}`, onchange: (e) => { item.unit = e.target.value; } },
        ...UNITS.map((u) => { const o = h("option", { value: u, text: u }); if (u === item.unit) o.selected = true; return o; }));
      const remove = h("button", { type: "button", class: "remove", "aria-label": `Remove ${item.name}`,
        onclick: () => { state.items.splice(i, 1); renderItems(); } }, "✕");
      list.append(h("li", {}, h("span", { text: item.name }), amount, unit, remove));
    });
  }

  async function loadFavourites() {
    const answer = await call("catalog.recent", 10);
    const chips = $("favourites");
    chips.replaceChildren();
    if (!answer.ok) {
      chips.append(h("span", { class: "hint", text: answer.signed_out ? "sign in to see them" : "not available offline" }));
      return;
    }
    for (const food of answer.foods) chips.append(h("button", { type: "button", onclick: () => addFood(food) }, food.name));
  }

  /* ---------- timeline ---------- */
  // Times arrive as RFC 3339 with an offset (the appliance answers in UTC); show them
  // in this computer's time zone. Day entries (context, note) carry a plain date.
  function localStamp(iso) {
    const d = new Date(iso);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  function whenOf(e) {
    const at = e.time || e.onset;
    return at ? localStamp(at) : (e.date ? `${e.date}T00:00` : "");
  }
  function describe(e) {
    switch (e.kind) {
      case "meal": return [e.items.map((i) => i.name).join(", "), e.items.map((i) => `${i.amount} ${i.unit}`).join(" · ")];
      case "symptom": return [`${e.type}, ${e.severity}/10`, e.duration_minutes ? `lasted ${e.duration_minutes} min` : ""];
      case "bowel_movement": return [`Bristol ${e.bristol}: ${BRISTOL[e.bristol] || ""}`,
        ["urgency", "blood", "mucus"].filter((k) => e[k]).join(", ")];
      case "dose": return [`${e.medication} ${e.status}`, e.amount || ""];
      case "context": return ["The day", [e.stress !== null && e.stress !== undefined ? `stress ${e.stress}/10` : "",
        e.sleep_hours ? `slept ${e.sleep_hours} h` : "", e.exercise_minutes ? `exercise ${e.exercise_minutes} min` : "",
        e.menstruation ? "menstruation" : ""].filter(Boolean).join(", ")];
      case "note": return ["Note", e.text];
      default: return [e.kind, ""];
    }
  }

  function entryRow(e) {
    const [title, detail] = describe(e);
    const hasTime = Boolean(e.time || e.onset);
    const edit = h("button", { type: "button", onclick: () => showForm(e.kind, e), "aria-label": `Edit ${title}` }, "Edit");
    const del = h("button", { type: "button", "aria-label": `Delete ${title}`, onclick: async () => {
      if (!window.confirm(`Delete “${title}”?`)) return;
      const answer = await call("journal.delete", e.kind, e.entry_id);
      if (!answer.ok) say(answer.error, "error");
      await refresh();
    } }, "Delete");
    return h("li", { class: `kind-${e.kind}` },
      h("span", { class: "when", text: hasTime ? whenOf(e).slice(11, 16) : "day" }),
      h("span", { class: "what" }, h("b", {}, title, e.pending ? h("span", { class: "badge", text: "not sent yet" }) : null),
        detail ? h("span", { class: "detail", text: detail }) : null),
      h("span", { class: "tools" }, edit, del));
  }

  async function refresh() {
    if (state.locked || !state.api) return;
    $("current-day").textContent = longDay(state.day);
    $("view-day").classList.toggle("on", state.view === "day");
    $("view-week").classList.toggle("on", state.view === "week");
    $("timeline").classList.toggle("hidden", state.view !== "day");
    $("week").classList.toggle("hidden", state.view !== "week");
    const answer = await call(state.view === "day" ? "journal.day" : "journal.week", state.day);
    if (!answer.ok) { if (!answer.locked) say(answer.error, "error"); return; }
    $("timeline-offline").classList.toggle("hidden", answer.online);
    $("timeline-offline").textContent = answer.offline_reason === "signed-out"
      ? "Showing what this computer knows: you are signed out."
      : "Showing what this computer knows: your Bia server is not reachable.";
    const entries = answer.entries.slice().sort((a, b) => whenOf(a).localeCompare(whenOf(b)));
    if (state.view === "day") {
      $("timeline-title").textContent = state.day === todayISO() ? "Today" : longDay(state.day);
      const list = $("timeline");
      list.replaceChildren(...entries.map(entryRow));
      if (!entries.length) list.append(h("li", { class: "empty", text: "Nothing logged on this day yet." }));
    } else {
      $("timeline-title").textContent = `Week of ${longDay(answer.start)}`;
      const cols = [];
      for (let i = 0; i < 7; i++) {
        const day = addDays(answer.start, i);
        const col = h("div", { class: `col${day === todayISO() ? " today" : ""}` },
          h("h3", { text: longDay(day).split(",")[0] + " " + day.slice(8) }));
        for (const e of entries.filter((x) => whenOf(x).slice(0, 10) === day)) {
          const [title] = describe(e);
          col.append(h("button", { type: "button", class: `kind-${e.kind}`, title, onclick: () => { state.day = day; state.view = "day"; refresh(); } },
            `${e.time || e.onset ? whenOf(e).slice(11, 16) + " " : ""}${title}${e.pending ? " •" : ""}`));
        }
        cols.push(col);
      }
      $("week").replaceChildren(...cols);
    }
  }

  /* ---------- status, pending, sign-in ---------- */
  async function poll() {
    if (!state.api) return;
    const s = await call("session.status");
    if (!s.ok) return;
    if (s.locked && !state.locked) showLock(s.lock_reason);
    $("lock-user").textContent = s.username;
    const waiting = s.pending + s.rejected;
    $("pending").classList.toggle("hidden", waiting === 0);
    $("pending").textContent = s.rejected ? `${s.pending} waiting, ${s.rejected} refused` : `${s.pending} waiting to sync`;
    $("signin").classList.toggle("hidden", s.signed_in);
    $("signin-state").textContent = s.login === "waiting" ? "Waiting for you to finish signing in in your browser…"
      : s.login === "failed" ? `Sign-in failed: ${s.login_error}` : "";
    if (s.signed_in && state.wasSignedOut) { state.wasSignedOut = false; loadFavourites(); refresh(); }
    if (!s.signed_in) state.wasSignedOut = true;
  }

  async function showPending() {
    const answer = await call("outbox.list");
    if (!answer.ok) return;
    const list = $("pending-list");
    list.replaceChildren(...answer.writes.map((w) => h("li", { class: w.rejected ? "rejected" : "" },
      `${KIND_NAMES[w.kind]} (${w.operation}), kept since ${localStamp(w.queued_at).replace("T", " ")}`,
      w.last_error ? h("div", { class: "hint",
        text: `${w.attempts} ${w.attempts === 1 ? "try" : "tries"}; last: ${w.last_error}` }) : null,
      w.rejected ? h("button", { type: "button", onclick: async () => { await call("outbox.send_again", w.key); showPending(); poll(); refresh(); } }, "Send again") : null,
      w.rejected ? h("button", { type: "button", onclick: async () => { await call("outbox.discard", w.key); showPending(); poll(); } }, "Discard") : null)));
    if (!answer.writes.length) list.append(h("li", { text: "Nothing is waiting." }));
    $("pending-panel").classList.remove("hidden");
    $("retry").focus();
  }

  /* ---------- lock ---------- */
  function showLock(reason) {
    state.locked = true;
    document.body.classList.add("locked");
    // Hide everything: the entries leave the page, not just the screen.
    $("timeline").replaceChildren();
    $("week").replaceChildren();
    $("pending-list").replaceChildren();
    $("favourites").replaceChildren();
    state.items = [];
    renderItems();
    renderResults([]);
    document.querySelectorAll(".entry-form").forEach((f) => f.reset());
    $("pending-panel").classList.add("hidden");
    $("lock-why").textContent = {
      idle: "Locked after a while without use.", user: "You locked Bia.",
      "os-screensaver": "Locked with your screen.", "os-session-locked": "Locked with your computer.",
      "os-lock-requested": "Locked with your computer.", "os-sleep": "Locked before the computer went to sleep.",
    }[reason] || "Locked.";
    $("lockscreen").classList.remove("hidden");
    $("unlock-message").textContent = "";
    $("unlock-password").value = "";
    $("unlock-password").focus();
  }

  async function unlock(e) {
    e.preventDefault();
    const field = $("unlock-password");
    $("unlock-button").disabled = true;
    $("unlock-message").textContent = "Checking…";
    const answer = await call("session.unlock", field.value);
    field.value = "";
    $("unlock-button").disabled = false;
    if (!answer.ok) { $("unlock-message").textContent = answer.error; field.focus(); return; }
    state.locked = false;
    document.body.classList.remove("locked");
    $("lockscreen").classList.add("hidden");
    $("unlock-message").textContent = "";
    showForm(state.form);
    await Promise.all([refresh(), loadFavourites(), poll()]);
  }

  /* ---------- keyboard ---------- */
  const SHORTCUTS = { m: "meal", s: "symptom", b: "bowel_movement", d: "dose", c: "context", n: "note" };
  function onKey(e) {
    if (state.locked) return;
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName) && e.target.type !== "radio" && e.target.type !== "checkbox";
    if (e.key === "Enter" && e.ctrlKey) { e.preventDefault(); save($(`form-${state.form}`)); return; }
    if (e.key === "Escape") { $("pending-panel").classList.add("hidden"); if (typing) e.target.blur(); return; }
    if (typing || e.ctrlKey || e.altKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    if (state.form === "bowel_movement" && /^[1-7]$/.test(key)) {
      const radio = document.querySelector(`#form-bowel_movement input[name=bristol][value="${key}"]`);
      radio.checked = true; radio.focus(); e.preventDefault(); return;
    }
    if (SHORTCUTS[key]) { e.preventDefault(); showForm(SHORTCUTS[key]); }
    else if (key === "l") lockNow();
    else if (key === "t") { state.day = todayISO(); refresh(); }
    else if (key === "w") { state.view = "week"; refresh(); }
    else if (key === "v") { state.view = "day"; refresh(); }
    else if (key === "p") showPending();
    else if (e.key === "ArrowLeft") { state.day = addDays(state.day, state.view === "week" ? -7 : -1); refresh(); }
    else if (e.key === "ArrowRight") { state.day = addDays(state.day, state.view === "week" ? 7 : 1); refresh(); }
  }

  function lockNow() { call("session.lock").then(() => showLock("user")); }

  function onActivity() {
    const now = Date.now();
    if (state.locked || now - state.lastActivity < 15000) return;
    state.lastActivity = now;
    call("session.activity");
  }

  /* ---------- start ---------- */
  async function start() {
    state.api = window.pywebview.api;
    const options = await call("journal.options");
    const select = document.querySelector("#form-symptom select[name=type]");
    for (const t of options.symptom_types) select.append(h("option", { value: t, text: t }));
    document.querySelectorAll(".quick button").forEach((b) => b.addEventListener("click", () => showForm(b.dataset.form)));
    document.querySelectorAll(".entry-form").forEach((f) => f.addEventListener("submit", (e) => { e.preventDefault(); save(f); }));
    $("food-search").addEventListener("input", onSearchInput);
    $("food-search").addEventListener("keydown", onSearchKey);
    $("severity").addEventListener("input", updateOutputs);
    $("stress").addEventListener("input", updateOutputs);
    $("prev-day").addEventListener("click", () => { state.day = addDays(state.day, state.view === "week" ? -7 : -1); refresh(); });
    $("next-day").addEventListener("click", () => { state.day = addDays(state.day, state.view === "week" ? 7 : 1); refresh(); });
    $("today").addEventListener("click", () => { state.day = todayISO(); refresh(); });
    $("view-day").addEventListener("click", () => { state.view = "day"; refresh(); });
    $("view-week").addEventListener("click", () => { state.view = "week"; refresh(); });
    $("pending").addEventListener("click", showPending);
    $("pending-close").addEventListener("click", () => $("pending-panel").classList.add("hidden"));
    $("retry").addEventListener("click", async () => { await call("outbox.retry"); await showPending(); await poll(); await refresh(); });
    $("lock").addEventListener("click", lockNow);
    $("unlock-form").addEventListener("submit", unlock);
    $("signin-button").addEventListener("click", async () => {
      const answer = await call("session.begin_login");
      $("signin-state").textContent = answer.ok ? "Waiting for you to finish signing in in your browser…" : answer.error;
    });
    document.addEventListener("keydown", onKey);
    for (const ev of ["keydown", "mousedown", "wheel"]) document.addEventListener(ev, onActivity, { passive: true });
    document.body.classList.remove("starting");
    const s = await call("session.status");
    showForm("meal");
    if (s.locked) { showLock(s.lock_reason); } else { await Promise.all([refresh(), loadFavourites()]); }
    await poll();
    setInterval(poll, 2000);
    document.body.dataset.ready = "true";
  }

  // Called from Python when the OS session locks or the idle timer fires.
  window.bia = { onLocked: (reason) => showLock(reason), state };
  window.addEventListener("pywebviewready", start);
})();
