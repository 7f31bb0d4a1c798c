// The Concord playground page: pick a person and a channel, type commands, click buttons.
// Cards arrive as HTML the server has already escaped; everything else is set as text.
"use strict";

const api = {
  async state(user) {
    const query = user ? `?user=${encodeURIComponent(user)}` : "";
    return request(`/playground/api/state${query}`);
  },
  command(body) {
    return request("/playground/api/command", body);
  },
  action(body) {
    return request("/playground/api/action", body);
  },
  reset() {
    return request("/playground/api/reset", { confirm: true });
  },
};

async function request(url, body) {
  // The server's errors come in the page's language.
  const headers = { "Accept-Language": view.language };
  const init = body === undefined ? { headers } : {
    method: "POST",
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  const response = await fetch(url, init);
  let payload = {};
  try {
    payload = await response.json();
  } catch {
    payload = {};
  }
  if (!response.ok) {
    throw new Error(payload.error || say("answered", { status: response.status }));
  }
  return payload;
}

const saved = {
  get(key, fallback) {
    try {
      const value = localStorage.getItem(`concord-playground-${key}`);
      return value === null ? fallback : JSON.parse(value);
    } catch {
      return fallback;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(`concord-playground-${key}`, JSON.stringify(value));
    } catch {
      // Private browsing: the choice just isn't remembered.
    }
  },
};

const view = {
  data: null,
  user: saved.get("user", "asha"),
  newcomerName: saved.get("newcomer", null),
  channel: saved.get("channel", "riverside-partnership"),
  sideBySide: saved.get("side-by-side", false),
  language: saved.get("language", "en"), // the reader's choice beside the persona picker
  panes: new Map(),
  history: [],
};

const $ = (selector, root = document) => root.querySelector(selector);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// --- who is acting -------------------------------------------------------------------

function who() {
  const body = {};
  if (view.user) body.user = view.user;
  if (view.newcomerName) body.name = view.newcomerName;
  body.language = view.language;
  return body;
}

function currentName() {
  const person = (view.data?.people || []).find((p) => p.user_id === view.user);
  return person ? person.name : view.newcomerName || view.user || "";
}

function actAs(user, newcomerName) {
  view.user = user;
  view.newcomerName = newcomerName;
  saved.set("user", user);
  saved.set("newcomer", newcomerName);
  for (const pane of view.panes.values()) $(".form-slot", pane).replaceChildren();
  refresh();
}

function adopt(actor) {
  // A newcomer's user id is made by the server from their name; keep it for next time.
  if (view.user !== actor.user) {
    view.user = actor.user;
    saved.set("user", actor.user);
  }
}

// --- rendering -----------------------------------------------------------------------

function render() {
  renderPeople();
  renderChannels();
  renderPanes();
}

// What each picker last drew: a picker is redrawn only when it would look different, as
// replacing a button between the press and the release of a click swallows the click.
const drawn = { people: "", channels: "" };

function unchanged(picker, ...shown) {
  const key = JSON.stringify(shown);
  if (drawn[picker] === key) return true;
  drawn[picker] = key;
  return false;
}

function renderPeople() {
  const list = $("#people");
  const people = [...view.data.people];
  if (view.newcomerName && !people.some((p) => p.user_id === view.user)) {
    people.push({ user_id: view.user || "new", name: view.newcomerName, role: "", organisation: "" });
  }
  if (unchanged("people", people, view.user)) return;
  list.replaceChildren(...people.map((person) => {
    const button = element("button", "pick");
    button.type = "button";
    button.dataset.testid = `persona-${person.user_id}`;
    button.setAttribute("aria-pressed", String(person.user_id === view.user));
    const where = person.organisation || person.collaborative;
    const details = [where, person.role].filter(Boolean).join(" · ");
    button.append(element("span", "pick-name", person.name), details
      ? element("span", "pick-detail", details)
      : wordsElement("span", "pick-detail", "new_here"));
    button.addEventListener("click", () => {
      const isNewcomer = !view.data.people.some((p) => p.user_id === person.user_id);
      actAs(person.user_id === "new" ? null : person.user_id, isNewcomer ? person.name : null);
    });
    const item = element("li");
    item.append(button);
    return item;
  }));
}

function renderChannels() {
  const list = $("#channels");
  if (unchanged("channels", view.data.channels, view.channel)) return;
  list.replaceChildren(...view.data.channels.map((channel) => {
    const button = element("button", "pick");
    button.type = "button";
    button.dataset.testid = `channel-${channel.id}`;
    button.setAttribute("aria-pressed", String(channel.id === view.channel));
    button.append(element("span", "pick-name", channel.name), channel.collaborative
      ? element("span", "pick-detail", channel.collaborative)
      : wordsElement("span", "pick-detail", "not_linked"));
    button.addEventListener("click", () => {
      view.channel = channel.id;
      saved.set("channel", channel.id);
      keepingFocus(render);
    });
    const item = element("li");
    item.append(button);
    return item;
  }));
}

// A pane's words that name its channel, in the page's language.
function paneWords(pane, channel) {
  $(".pane-subtitle", pane).textContent = channel.collaborative
    ? say("linked_to", { collaborative: channel.collaborative })
    : say("not_linked_help");
  $(".composer-label", pane).textContent = say("composer_label",
    { channel: channel.name, name: currentName() });
  $(".composer", pane).setAttribute("aria-label", say("composer", { channel: channel.name }));
  $(".command-input", pane).placeholder = say("composer_placeholder");
}

function visibleChannels() {
  const channels = view.data.channels;
  const selected = channels.find((c) => c.id === view.channel) || channels[0];
  if (!view.sideBySide || !selected.collaborative) return [selected];
  return channels.filter((c) => c.collaborative === selected.collaborative);
}

function renderPanes() {
  const container = $("#panes");
  const shown = visibleChannels();
  container.classList.toggle("panes-many", shown.length > 1);
  const panes = shown.map((channel) => {
    const pane = paneFor(channel.id);
    $(".pane-title", pane).textContent = channel.name;
    paneWords(pane, channel);
    renderTranscript(pane, channel.id, channel.id === view.channel);
    return pane;
  });
  // Re-attaching a pane that is already shown would take the focus from whatever the person
  // is typing in and reset the scroll of a long form: only touch the panes when they change.
  const current = [...container.children];
  if (current.length !== panes.length || panes.some((pane, i) => current[i] !== pane)) {
    container.replaceChildren(...panes);
  }
  // Detached panes lose their scroll position: put each back where it was, or at the end.
  for (const list of container.querySelectorAll(".transcript")) {
    if (list.dataset.follow === "no") list.scrollTop = Number(list.dataset.readingAt || 0);
    followEnd(list);
  }
}

// --- following the newest message --------------------------------------------------------
// A pane keeps its newest message in view, unless the person scrolled up to read: then new
// messages wait behind a "New messages" button. Only a person's own scrolling (wheel, touch,
// keys, the scrollbar) stops the following; a scroll the layout causes (a chart loading, a
// re-render) never does.

const INTENT_MS = 1000;
const NEAR_END_PX = 40;

function followEnd(list) {
  if (list.dataset.follow !== "no") list.scrollTop = list.scrollHeight;
}

function follow(list) {
  list.dataset.follow = "yes";
  newMessagesButton(list).hidden = true;
  followEnd(list);
}

function newMessagesButton(list) {
  return $(".new-messages", list.closest(".pane"));
}

function watchScrolling(list) {
  let intentAt = 0;
  const intent = () => { intentAt = Date.now(); };
  for (const type of ["wheel", "touchmove", "keydown", "pointerdown"]) {
    list.addEventListener(type, intent, { passive: true });
  }
  list.addEventListener("scroll", () => {
    if (!list.isConnected) return;
    if (list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_END_PX) {
      follow(list);
    } else if (Date.now() - intentAt < INTENT_MS) {
      list.dataset.follow = "no";
      list.dataset.readingAt = String(list.scrollTop);
    }
  });
  // Images (charts) load after the message is in place and push the end down.
  list.addEventListener("load", () => followEnd(list), true);
  newMessagesButton(list).addEventListener("click", () => follow(list));
}

function paneFor(channelId) {
  if (!view.panes.has(channelId)) {
    const pane = $("#pane-template").content.firstElementChild.cloneNode(true);
    pane.dataset.channel = channelId;
    pane.dataset.testid = `pane-${channelId}`;
    const title = $(".pane-title", pane);
    title.id = `pane-title-${channelId}`;
    pane.setAttribute("aria-labelledby", title.id);
    $(".command-input", pane).id = `command-input-${channelId}`;
    $(".composer-label", pane).htmlFor = `command-input-${channelId}`;
    const list = $(".transcript", pane);
    list.dataset.testid = `transcript-${channelId}`;
    watchScrolling(list);
    wirePane(pane);
    view.panes.set(channelId, pane);
  }
  return view.panes.get(channelId);
}

function renderTranscript(pane, channelId, selected) {
  const list = $(".transcript", pane);
  const entries = [
    ...view.data.transcripts[channelId].map((e) => ({ ...e, private: false })),
    ...view.data.notes
      .filter((n) => n.channel === channelId || (n.channel === null && selected))
      .map((n) => ({ ...n, private: true })),
  ].sort((a, b) => a.seq - b.seq);
  const readingAt = list.scrollTop;
  if (!drawEntries(list, entries)) return;
  const newest = String(entries.length ? entries[entries.length - 1].seq : 0);
  const seen = list.dataset.newest === undefined ? null : Number(list.dataset.newest);
  const arrived = seen !== null && String(seen) !== newest;
  list.dataset.newest = newest;
  // Only what came since the last drawing is spoken (after a reset the numbers start again).
  if (selected && seen !== null && Number(newest) > seen) {
    const items = list.children;
    announce(entries.flatMap((e, i) => (e.seq > seen ? [spokenSummary(items[i], e.private)] : [])));
  }
  if (list.dataset.follow === "no") {
    list.scrollTop = readingAt; // leave the reader where they are
    if (arrived) newMessagesButton(list).hidden = false;
  }
  followEnd(list);
}

// What each message's item was drawn from: an item is drawn again only when its message
// changed, and then updated in place (morph.js), so that a click in progress on one of its
// buttons still lands and the focus stays on it.
const drawnFrom = new WeakMap();

const drawing = (entry) => entry.time + entry.html;

// Shows `entries` in `list`; false when every one of them was already shown as it is.
function drawEntries(list, entries) {
  const shown = new Map([...list.children].map((item) => [item.dataset.key, item]));
  const items = entries.map((entry) => {
    const item = shown.get(entryKey(entry));
    return item && drawnFrom.get(item) === drawing(entry) ? item : entryItem(entry);
  });
  if (!items.length) items.push(shown.get("empty") || emptyItem());
  const current = [...list.children];
  if (items.length === current.length && items.every((item, i) => item === current[i])) {
    return false;
  }
  morphChildren(list, items);
  entries.forEach((entry, i) => drawnFrom.set(list.children[i], drawing(entry)));
  return true;
}

function emptyItem() {
  const item = wordsElement("li", "empty", "no_messages");
  item.dataset.key = "empty";
  return item;
}

// A message (or private note) keeps its number when its card is updated: the number is its key.
const entryKey = (entry) => `entry-${entry.seq}`;

function entryItem(entry) {
  const item = element("li", entry.private ? "entry entry-private" : "entry");
  item.dataset.key = entryKey(entry);
  const meta = element("div", "meta");
  const time = element("time", "", entry.time); // en-GB, UK time: "14:05", "14:05, 3 Dec"
  time.dateTime = entry.at;
  meta.append(element("span", "author", "Concord"), time);
  const body = element("div", "entry-body");
  body.innerHTML = entry.html; // rendered and escaped by the server
  body.querySelectorAll("time[data-moment]").forEach(showInOwnZone);
  item.append(meta, body);
  return item;
}

// A deadline or opening: the server writes it in the collaborative's zone; this browser
// shows it in its own, in the page's language, keeping the collaborative's time as the
// element's title.
const MOMENT_FORMATS = new Map();

function momentFormat() {
  const locale = `${pageWords.language}-GB`;
  if (!MOMENT_FORMATS.has(locale)) {
    MOMENT_FORMATS.set(locale, new Intl.DateTimeFormat(locale, {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    }));
  }
  return MOMENT_FORMATS.get(locale);
}

function showInOwnZone(moment) {
  const at = new Date(moment.dateTime);
  if (Number.isNaN(at.getTime())) return;
  moment.title = moment.textContent;
  moment.textContent = momentFormat().format(at).replace(/,/g, "");
}

// --- talking to the server -------------------------------------------------------------

let refreshing = null;
let refreshAgain = false;

async function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      try {
        view.data = await api.state(view.user);
        keepingFocus(render);
        document.body.dataset.version = String(view.data.version);
      } catch (error) {
        showError($(".composer-error", paneFor(view.channel)), error.message);
      }
    } while (refreshAgain);
    refreshing = null;
  })();
  return refreshing;
}

function showError(slot, message) {
  slot.textContent = message || "";
  slot.hidden = !message;
}

// A form opens with the focus on its first field; when it closes, the focus goes back to
// the button that opened it, or to the message box.
function showForm(pane, formHtml) {
  const slot = $(".form-slot", pane);
  const wasInForm = slot.contains(document.activeElement);
  slot.innerHTML = formHtml || ""; // rendered and escaped by the server
  for (const field of slot.querySelectorAll("[id]")) {
    const label = slot.querySelector(`label[for="${CSS.escape(field.id)}"]`);
    field.id = `${pane.dataset.channel}-${field.id}`; // two panes may each show a form
    if (label) label.htmlFor = field.id;
  }
  const first = $("input, textarea", slot);
  if (first) first.focus();
  else if (wasInForm || focusLost()) refocus(pane.opener);
}

async function send(pane, call, body) {
  showError($(".composer-error", pane), "");
  const [user, newcomer] = [view.user, view.newcomerName];
  const outcome = await call({ ...who(), channel: pane.dataset.channel, ...body });
  // A vote's answer comes after its news: the person may have become someone else meanwhile.
  if (view.user === user && view.newcomerName === newcomer) adopt(outcome.actor);
  await refresh();
  return outcome;
}

function formValues(form) {
  const values = {};
  for (const field of form.querySelectorAll("[data-input]")) {
    const name = field.dataset.name;
    if (field.dataset.input === "text") {
      values[name] = $("input, textarea", field).value;
    } else {
      const checked = [...field.querySelectorAll("input:checked")].map((i) => i.value);
      values[name] = field.dataset.multiple === "true" ? checked : checked[0] || "";
    }
  }
  return values;
}

function wirePane(pane) {
  const input = $(".command-input", pane);
  let historyAt = 0;

  $(".composer", pane).addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || input.readOnly) return;
    pane.opener = focusKey(input);
    view.history.push(text);
    historyAt = view.history.length;
    follow($(".transcript", pane)); // whoever types wants to see the answer
    // Busy until Concord answers, yet still focused (a disabled box would drop the focus).
    input.readOnly = true;
    input.setAttribute("aria-disabled", "true");
    try {
      const outcome = await send(pane, api.command, { text });
      if (!outcome.refused) input.value = "";
      if (outcome.form) showForm(pane, outcome.form);
    } catch (error) {
      showError($(".composer-error", pane), error.message);
    } finally {
      input.readOnly = false;
      input.removeAttribute("aria-disabled");
      if (!$(".form-slot", pane).contains(document.activeElement)) input.focus();
    }
  });

  input.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    historyAt += event.key === "ArrowUp" ? -1 : 1;
    historyAt = Math.max(0, Math.min(view.history.length, historyAt));
    input.value = view.history[historyAt] || "";
    event.preventDefault();
  });

  pane.addEventListener("click", async (event) => {
    const cancel = event.target.closest("[data-cancel]");
    if (cancel) {
      showForm(pane, "");
      return;
    }
    const button = event.target.closest("button[data-action]");
    if (!button || button.getAttribute("aria-disabled") === "true") return;
    if (button.dataset.confirmTitle && !(await confirmed(button))) return;
    // Busy, but still focused: a disabled button would drop the focus to the page.
    button.setAttribute("aria-disabled", "true");
    pane.opener = focusKey(button);
    const outcome = await act(pane, button.dataset.action, {});
    button.removeAttribute("aria-disabled");
    // Some buttons answer with a form: "Rank the options", "Answer privately", "Object"…
    if (outcome && outcome.form) showForm(pane, outcome.form);
  });

  pane.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-form-action]");
    if (!form) return;
    event.preventDefault();
    const outcome = await act(pane, form.dataset.formAction, formValues(form));
    if (outcome) showForm(pane, outcome.form);
  });
}

// A button whose action can't be taken back asks first, in a dialog of the page's own.
function confirmed(button) {
  const asked = button.dataset;
  const dialog = element("dialog", "confirm");
  dialog.dataset.testid = "confirm";
  const form = element("form");
  form.method = "dialog";
  const yes = element("button", button.classList.contains("btn-danger")
    ? "btn btn-danger" : "btn btn-primary", asked.confirmYes);
  yes.value = "yes";
  const no = element("button", "btn btn-default", asked.confirmNo);
  no.value = "no";
  const row = element("div", "block-actions");
  row.append(yes, no);
  form.append(element("h3", "block-heading", asked.confirmTitle),
    element("p", "block-text", asked.confirmText), row);
  dialog.append(form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "yes");
    });
    dialog.showModal();
  });
}

async function act(pane, action, values) {
  try {
    return await send(pane, api.action, { action, values });
  } catch (error) {
    showError($(".composer-error", pane), error.message);
    return null;
  }
}

// --- reset -------------------------------------------------------------------------------

function wireReset() {
  const ask = $("#reset-ask");
  const question = $("#reset-question");
  const answered = () => {
    question.hidden = true;
    ask.hidden = false;
    ask.focus();
  };
  ask.addEventListener("click", () => {
    ask.hidden = true;
    question.hidden = false;
    $("#reset-cancel").focus();
  });
  $("#reset-cancel").addEventListener("click", answered);
  $("#reset-confirm").addEventListener("click", async () => {
    try {
      await api.reset();
      for (const pane of view.panes.values()) $(".form-slot", pane).replaceChildren();
      for (const list of document.querySelectorAll(".transcript")) follow(list);
      await refresh();
    } catch (error) {
      showError($(".composer-error", paneFor(view.channel)), error.message);
    }
    answered();
  });
}

// --- the language -------------------------------------------------------------------------
// The page's words follow the choice at once; the server is told by a cookie, so that the
// page comes in that language next time.

function wireLanguage() {
  readPageWords();
  const language = $("#language");
  language.value = view.language;
  view.language = language.value || "en"; // a remembered choice the page no longer offers
  const chosen = () => {
    document.cookie = `concord-playground-language=${view.language}; path=/playground; `
      + "max-age=31536000; SameSite=Strict";
    switchWords(view.language).then(() => {
      if (view.data) keepingFocus(render);
    });
  };
  language.addEventListener("change", () => {
    view.language = language.value;
    saved.set("language", view.language);
    chosen();
  });
  chosen(); // a choice remembered from before the cookie
}

// --- start ---------------------------------------------------------------------------------

function start() {
  const toggle = $("#side-by-side");
  toggle.checked = view.sideBySide;
  toggle.addEventListener("change", () => {
    view.sideBySide = toggle.checked;
    saved.set("side-by-side", view.sideBySide);
    render();
  });

  wireLanguage();

  $("#newcomer").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("#newcomer-name").value.trim();
    if (!name) return;
    const known = view.data.people.find((p) => p.name.toLowerCase() === name.toLowerCase());
    actAs(known ? known.user_id : null, known ? null : name);
    $("#newcomer-name").value = "";
  });

  for (const example of document.querySelectorAll(".example")) {
    example.addEventListener("click", () => {
      const input = $(".command-input", paneFor(view.channel));
      input.value = example.textContent;
      input.focus();
    });
  }

  $("#skip-to-composer").addEventListener("click", (event) => {
    event.preventDefault();
    messageBox().focus();
  });

  wireReset();
  new EventSource("/playground/api/events").addEventListener("change", () => refresh());
  refresh();
}

document.addEventListener("DOMContentLoaded", start);
